import { describe, expect, it } from 'vitest';
import type { Task } from '../api/types';
import { initialTasksState, tasksReducer, type TasksState } from './tasksReducer';

const task = (id: number, title = `Task ${id}`): Task => ({
  id,
  user_id: 'u',
  title,
  description: null,
  completed: false,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
});

const ready = (tasks: Task[]): TasksState => tasksReducer(initialTasksState, { type: 'loaded', tasks, hasMore: false });

describe('tasksReducer', () => {
  it('starts loading, then shows what arrived', () => {
    expect(initialTasksState.status).toBe('loading');
    expect(ready([task(1)])).toMatchObject({ status: 'ready', tasks: [task(1)], error: null });
  });

  it('shows an error when the first load fails, but keeps the list when a refresh fails', () => {
    expect(tasksReducer(initialTasksState, { type: 'load-failed', error: 'down' })).toMatchObject({ status: 'error', error: 'down' });
    const refreshing = tasksReducer(ready([task(1)]), { type: 'load-started' });
    expect(refreshing.status).toBe('ready');
    expect(tasksReducer(refreshing, { type: 'load-failed', error: 'down' })).toMatchObject({
      status: 'ready',
      tasks: [task(1)],
      error: 'down',
    });
  });

  it('keeps a change the server confirmed when an older list answer arrives after it', () => {
    const confirmed = { ...task(2), completed: true, updated_at: '2026-01-01T00:00:05Z' };
    const state = tasksReducer(ready([task(1), task(2)]), { type: 'changed', task: confirmed });
    const stale = tasksReducer(state, { type: 'loaded', tasks: [task(1), task(2)], hasMore: false });
    expect(stale.tasks).toEqual([task(1), confirmed]);
    const newer = { ...task(2), title: 'renamed elsewhere', updated_at: '2026-01-01T00:00:09Z' };
    expect(tasksReducer(stale, { type: 'loaded', tasks: [newer], hasMore: false }).tasks).toEqual([newer]);
  });

  it('puts a new task first and never twice', () => {
    const state = tasksReducer(ready([task(1), task(2)]), { type: 'added', task: task(3) });
    expect(state.tasks.map((t) => t.id)).toEqual([3, 1, 2]);
    expect(tasksReducer(state, { type: 'added', task: task(3, 'again') }).tasks.map((t) => t.id)).toEqual([3, 1, 2]);
  });

  it('replaces a changed task in place and removes a deleted one', () => {
    const changed = tasksReducer(ready([task(1), task(2)]), { type: 'changed', task: { ...task(2), completed: true } });
    expect(changed.tasks[1]!.completed).toBe(true);
    expect(tasksReducer(changed, { type: 'removed', id: 1 }).tasks.map((t) => t.id)).toEqual([2]);
  });

  it('appends the next page without duplicating tasks that shifted between pages', () => {
    let state = tasksReducer(initialTasksState, { type: 'loaded', tasks: [task(5), task(4)], hasMore: true });
    state = tasksReducer(state, { type: 'more-started' });
    expect(state.loadingMore).toBe(true);
    state = tasksReducer(state, { type: 'more-loaded', tasks: [task(4), task(3)], hasMore: false });
    expect(state).toMatchObject({ loadingMore: false, hasMore: false });
    expect(state.tasks.map((t) => t.id)).toEqual([5, 4, 3]);
  });
});

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

  it('keeps a task this page deleted gone when a list read before the delete arrives after it', () => {
    let state = tasksReducer(ready([task(1), task(2)]), { type: 'load-started' });
    state = tasksReducer(state, { type: 'removed', id: 2 });
    state = tasksReducer(state, { type: 'loaded', tasks: [task(1), task(2)], hasMore: true });
    expect(state.tasks.map((t) => t.id)).toEqual([1]);
    state = tasksReducer(state, { type: 'more-loaded', tasks: [task(2), task(0)], hasMore: false });
    expect(state.tasks.map((t) => t.id)).toEqual([1, 0]);
  });

  it('keeps tasks this page added while a list was being read, newest first, in their latest version', () => {
    let state = tasksReducer(ready([task(1)]), { type: 'load-started' });
    state = tasksReducer(state, { type: 'added', task: task(2) });
    state = tasksReducer(state, { type: 'added', task: task(3) });
    const completed = { ...task(2), completed: true, updated_at: '2026-01-01T00:00:05Z' };
    state = tasksReducer(state, { type: 'changed', task: completed });
    state = tasksReducer(state, { type: 'loaded', tasks: [task(1)], hasMore: false });
    expect(state.tasks).toEqual([task(3), completed, task(1)]);
  });

  it('forgets the tasks it added once a later load started after them, which has them or deliberately not', () => {
    let state = tasksReducer(ready([task(1)]), { type: 'added', task: task(2) });
    state = tasksReducer(state, { type: 'load-started' });
    // e.g. the "Completed" filter: the server's answer is the whole truth for a load that began after the add.
    state = tasksReducer(state, { type: 'loaded', tasks: [], hasMore: false });
    expect(state.tasks).toEqual([]);
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

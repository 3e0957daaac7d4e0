import { describe, expect, it } from 'vitest';
import type { Task } from '../api/types';
import { emptyListMessage, matchesFilter, parseTaskFilter, visibleTasks } from './filters';

const task = (id: number, completed: boolean): Task => ({
  id,
  user_id: 'u',
  title: `Task ${id}`,
  description: null,
  completed,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
});

describe('task filters', () => {
  const tasks = [task(1, false), task(2, true), task(3, false)];

  it('shows everything, only pending, or only completed tasks, keeping the order', () => {
    expect(visibleTasks(tasks, 'all').map((t) => t.id)).toEqual([1, 2, 3]);
    expect(visibleTasks(tasks, 'pending').map((t) => t.id)).toEqual([1, 3]);
    expect(visibleTasks(tasks, 'completed').map((t) => t.id)).toEqual([2]);
  });

  it('drops a task from the pending view as soon as it is completed', () => {
    expect(matchesFilter({ ...task(1, false), completed: true }, 'pending')).toBe(false);
  });

  it('reads a filter from the address, defaulting to all for anything unknown', () => {
    expect(parseTaskFilter('pending')).toBe('pending');
    expect(parseTaskFilter('completed')).toBe('completed');
    expect(parseTaskFilter('PENDING')).toBe('all');
    expect(parseTaskFilter(null)).toBe('all');
  });

  it('has an empty-state sentence for each filter', () => {
    expect(new Set(['all', 'pending', 'completed'].map((f) => emptyListMessage(parseTaskFilter(f)))).size).toBe(3);
  });
});

import { useCallback, useEffect, useLayoutEffect, useReducer, useRef, useState } from 'react';
import { useApi } from '../ApiContext';
import { taskPageSize } from '../api/endpoints';
import { describeError } from '../api/problem';
import type { Task, TaskFilter } from '../api/types';
import { emptyListMessage, matchesFilter, parseTaskFilter, taskFilters, visibleTasks } from './filters';
import { NewTaskForm } from './NewTaskForm';
import { TaskFilterPicker } from './TaskFilterPicker';
import { TaskItem } from './TaskItem';
import { initialTasksState, tasksReducer } from './tasksReducer';

interface TasksPanelProps {
  userId: string;
  /** Changes whenever something else (the assistant) may have changed the tasks. */
  refreshSignal: number;
}

export function TasksPanel({ userId, refreshSignal }: TasksPanelProps) {
  const api = useApi();
  const [filter, setFilter] = useState<TaskFilter>(() => parseTaskFilter(readFilterFromUrl()));
  const [state, dispatch] = useReducer(tasksReducer, initialTasksState);
  const [announcement, setAnnouncement] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const latestRequest = useRef(0);

  const load = useCallback(async () => {
    const request = ++latestRequest.current;
    dispatch({ type: 'load-started' });
    try {
      const tasks = await api.listTasks(userId, filter);
      // A slower answer for an older filter must not overwrite a newer one.
      if (request === latestRequest.current) {
        dispatch({ type: 'loaded', tasks, hasMore: tasks.length === taskPageSize });
      }
    } catch (error) {
      if (request === latestRequest.current) dispatch({ type: 'load-failed', error: describeError(error) });
    }
  }, [api, userId, filter]);

  useEffect(() => {
    void load();
  }, [load, refreshSignal]);

  async function loadMore() {
    dispatch({ type: 'more-started' });
    try {
      const tasks = await api.listTasks(userId, filter, state.tasks.length);
      dispatch({ type: 'more-loaded', tasks, hasMore: tasks.length === taskPageSize });
    } catch (error) {
      dispatch({ type: 'more-failed', error: describeError(error) });
    }
  }

  function changeFilter(next: TaskFilter) {
    setFilter(next);
    writeFilterToUrl(next);
  }

  const onAdded = useCallback(
    (task: Task) => {
      dispatch({ type: 'added', task });
      setProblem(null);
      setAnnouncement(
        matchesFilter(task, filter) ? `Added “${task.title}”.` : `Added “${task.title}”. Choose All or Pending to see it.`,
      );
    },
    [filter],
  );
  // A deleted task, or one completed while "Pending" is shown, leaves the list with the focus inside it: the
  // focus then moves to the heading instead of being dropped on the page body.
  const listRef = useRef<HTMLUListElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const focusWasInList = useRef(false);
  const noteFocus = () => {
    focusWasInList.current = listRef.current?.contains(document.activeElement) ?? false;
  };
  const onChanged = useCallback((task: Task) => {
    noteFocus();
    dispatch({ type: 'changed', task });
  }, []);
  const onRemoved = useCallback((task: Task) => {
    noteFocus();
    dispatch({ type: 'removed', id: task.id });
  }, []);

  const shown = visibleTasks(state.tasks, filter);

  useLayoutEffect(() => {
    if (!focusWasInList.current) return;
    focusWasInList.current = false;
    const active = document.activeElement;
    if (!active || active === document.body) headingRef.current?.focus();
  });
  const filterLabel = taskFilters.find((f) => f.value === filter)?.label ?? 'All';

  return (
    <section className="panel tasks-panel" aria-labelledby="tasks-heading">
      <div className="panel-header">
        <h1 id="tasks-heading" ref={headingRef} tabIndex={-1}>
          Your tasks
        </h1>
        <TaskFilterPicker value={filter} onChange={changeFilter} />
      </div>

      <NewTaskForm userId={userId} onAdded={onAdded} />

      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      {problem && (
        <div className="banner banner-error" role="alert">
          <p>{problem}</p>
          <button type="button" onClick={() => setProblem(null)}>
            Dismiss
          </button>
        </div>
      )}

      {state.status === 'loading' && (
        <p className="state-message" role="status">
          Loading your tasks…
        </p>
      )}
      {state.status === 'error' && (
        <div className="banner banner-error" role="alert">
          <p>Couldn't load your tasks. {state.error}</p>
          <button type="button" onClick={() => void load()}>
            Try again
          </button>
        </div>
      )}
      {state.status === 'ready' && state.error && (
        <div className="banner banner-error" role="alert">
          <p>Couldn't refresh your tasks. {state.error}</p>
          <button type="button" onClick={() => void load()}>
            Try again
          </button>
        </div>
      )}
      {state.status === 'ready' && shown.length === 0 && <p className="state-message">{emptyListMessage(filter)}</p>}
      {shown.length > 0 && (
        <ul className="task-list" ref={listRef} aria-label={`${filterLabel} tasks`}>
          {shown.map((task) => (
            <TaskItem
              key={task.id}
              userId={userId}
              task={task}
              onChanged={onChanged}
              onRemoved={onRemoved}
              onProblem={setProblem}
              onAnnounce={setAnnouncement}
            />
          ))}
        </ul>
      )}
      {state.status === 'ready' && state.hasMore && (
        <button type="button" className="show-more" onClick={loadMore} aria-busy={state.loadingMore}>
          {state.loadingMore ? 'Loading more…' : 'Show more tasks'}
        </button>
      )}
    </section>
  );
}

function readFilterFromUrl(): string | null {
  return new URLSearchParams(window.location.search).get('filter');
}

/** The filter is part of the address, so a reload or a shared link shows the same list. */
function writeFilterToUrl(filter: TaskFilter) {
  const url = new URL(window.location.href);
  if (filter === 'all') url.searchParams.delete('filter');
  else url.searchParams.set('filter', filter);
  window.history.replaceState(null, '', url);
}

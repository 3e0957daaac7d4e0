import type { TaskFilter } from '../api/types';
import { taskFilters } from './filters';

interface TaskFilterPickerProps {
  value: TaskFilter;
  onChange: (filter: TaskFilter) => void;
}

/** A radio group (arrow keys move between choices), drawn as a segmented control. */
export function TaskFilterPicker({ value, onChange }: TaskFilterPickerProps) {
  return (
    <fieldset className="segmented">
      <legend className="visually-hidden">Show tasks</legend>
      {taskFilters.map((filter) => (
        <label key={filter.value}>
          <input
            type="radio"
            name="task-filter"
            value={filter.value}
            checked={value === filter.value}
            onChange={() => onChange(filter.value)}
          />
          <span>{filter.label}</span>
        </label>
      ))}
    </fieldset>
  );
}

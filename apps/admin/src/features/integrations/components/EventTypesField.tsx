// The event types an endpoint receives: one checkbox per type.
import { EVENT_TYPES } from "@shop/contracts";
import type { EventType } from "../api/integrations.ts";

export function EventTypesField({ value, onChange }: { value: EventType[]; onChange: (v: EventType[]) => void }) {
  return (
    <fieldset className="event-types">
      <legend>Event types</legend>
      {EVENT_TYPES.map((type) => (
        <label key={type} className="checkbox">
          <input
            type="checkbox"
            name="eventTypes"
            value={type}
            checked={value.includes(type)}
            onChange={(e) => onChange(e.target.checked ? [...value, type] : value.filter((t) => t !== type))}
          />{" "}
          {type}
        </label>
      ))}
    </fieldset>
  );
}

import type { ApiError } from '../api/request.js';

/** What the agent said when a read failed. */
export function Failure(props: { error: ApiError; what: string }) {
  return (
    <div class="failure" role="alert">
      Could not read {props.what}: {props.error.status} {props.error.message}
    </div>
  );
}

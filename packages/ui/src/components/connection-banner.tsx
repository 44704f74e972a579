import { useEffect, useState } from 'preact/hooks';
import { connectionLost, onConnectionChange } from '../api/connection.js';

/** Shown while the agent cannot be reached; the live lists keep trying and it goes away by itself. */
export function ConnectionBanner() {
  const [lost, setLost] = useState(connectionLost());
  useEffect(() => onConnectionChange(setLost), []);
  if (!lost) return null;
  return (
    <div class="banner" role="alert">
      The connection to the agent is lost. Trying again; this page updates itself when the agent answers.
    </div>
  );
}

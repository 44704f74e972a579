/**
 * Holds the process open until the returned function is called: for work a caller awaits
 * (a pending acquire(), a running election), whose own timers are unref()'d and whose pauses
 * would otherwise let Node exit mid-wait with the promise never settled.
 */
export function keepAlive(): () => void {
  const timer = setInterval(() => {}, 2 ** 30);
  return () => clearInterval(timer);
}

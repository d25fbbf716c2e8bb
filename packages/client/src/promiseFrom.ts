/**
 * Calls `fn` and hands back its result as a promise, a synchronous throw as a rejection: an
 * app's `getToken` may throw instead of rejecting, and either must take the same path.
 */
export function promiseFrom<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error);
  }
}

/** The ACL token the UI sends (X-Consul-Token), kept in this browser's localStorage. */
const KEY = 'praetor.token';

export function getToken(): string {
  try {
    return localStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

export function setToken(token: string): void {
  if (token) localStorage.setItem(KEY, token);
  else localStorage.removeItem(KEY);
}

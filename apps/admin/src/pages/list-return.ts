// Remembers the list view (its query string) a user left, so "Back" and "Cancel" return to it.
const last = new Map<string, string>();

export function rememberList(path: string, fullPath: string) {
  last.set(path, fullPath);
}

export function listPath(path: string): string {
  return last.get(path) ?? path;
}

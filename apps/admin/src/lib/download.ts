// A CSV (or any file) the API answers to an authenticated GET: fetched with the session's bearer token (a
// plain link would carry none) and handed to the browser as a download. A refusal throws the API's message.
import { getSession } from "@/lib/session.ts";

export async function downloadFile(path: string, filename: string): Promise<void> {
  const token = getSession()?.token;
  const response = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { message?: string } | null;
    throw new Error(body?.message ?? `The export failed (HTTP ${response.status})`);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

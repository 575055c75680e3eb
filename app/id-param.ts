/** What a page under an `[id]` segment is given by Next.js. */
export type IdParams = { params: Promise<{ id: string }> };

/** The page's `[id]` segment decoded; a malformed escape (a hand-edited URL) is kept as typed rather than failing the page. */
export async function decodedId({ params }: IdParams): Promise<string> {
  const { id } = await params;
  try {
    return decodeURIComponent(id);
  } catch {
    return id;
  }
}

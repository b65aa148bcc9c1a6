/**
 * Counts the words of an article's main text: what a learner reads from top
 * to bottom. Code fences, `<<<` snippet imports, `::: details` blocks and
 * HTML comments are not main text, and neither is markup (`#`, `|`, `-`).
 */
export function proseWords(markdown: string): number {
  let words = 0;
  let fence: string | undefined; // the ``` or ~~~ run that opened a code block
  let detailsDepth = 0; // nested ::: containers inside a details block
  let inComment = false;
  for (const line of markdown.split("\n")) {
    const trimmed = line.trim();
    if (fence !== undefined) {
      if (trimmed.startsWith(fence)) fence = undefined;
      continue;
    }
    const opening = /^(`{3,}|~{3,})/.exec(trimmed);
    if (opening !== null) {
      fence = opening[1];
      continue;
    }
    if (inComment) {
      if (trimmed.includes("-->")) inComment = false;
      continue;
    }
    if (trimmed.startsWith("<!--")) {
      inComment = !trimmed.includes("-->");
      continue;
    }
    if (detailsDepth > 0) {
      if (/^:::\s*\S/.test(trimmed)) detailsDepth += 1;
      else if (trimmed === ":::") detailsDepth -= 1;
      continue;
    }
    if (/^:::\s*details\b/.test(trimmed)) {
      detailsDepth = 1;
      continue;
    }
    if (trimmed.startsWith("<<<") || trimmed.startsWith(":::")) continue;
    words += trimmed
      .split(/\s+/)
      .filter((token) => /[\p{L}\p{N}]/u.test(token)).length;
  }
  return words;
}

/**
 * Makes user-supplied text (a display name, an echoed question) unable to ping anyone on any platform:
 * angle brackets (Slack's <!channel>, <@U1>, Discord's <@&role>) become look-alike guillemets and a zero-width
 * space goes after every @, so "@everyone" stays readable but inert. Adapters escape again for their own syntax.
 */
export function neutralizeMentions(text: string): string {
  return text.replace(/</g, '‹').replace(/>/g, '›').replace(/@/g, '@\u200b');
}

/**
 * Text made safe inside HTML or XML (the group page, the digest card's SVG): the five characters that could end a
 * text node or an attribute become numeric character references, so a display name stays text.
 */
export function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** What `arangops … --help` lists: the expectations of tests that check documented or rendered commands. */

/** The names under "Commands:" in a help page. */
export function commandsOf(help: string): Set<string> {
  const section = help.split(/^Commands:$/m)[1] ?? '';
  return new Set([...section.matchAll(/^ {2}([a-z][\w-]*)/gm)].map((m) => m[1] as string));
}

/** Every long option of a help page, its own and the global ones. */
export function optionsOf(help: string): Set<string> {
  return new Set([...help.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1] as string));
}

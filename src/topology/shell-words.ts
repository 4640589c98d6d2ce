/**
 * A command written as one string, split into words the way compose does before it hands
 * the command to the engine (and the way a POSIX shell would): spaces separate words,
 * single quotes keep everything, double quotes keep everything but `\"`, `\\`, `\$` and
 * `` \` `` escapes, and a backslash outside quotes escapes the next character.
 * Nothing is expanded: compose does not run a shell.
 */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let at = 0; at < text.length; at++) {
    const char = text[at]!;
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else word += char;
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === '\\' && at + 1 < text.length && '"\\$`'.includes(text[at + 1]!)) word += text[++at];
      else word += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
    } else if (char === '\\' && at + 1 < text.length) {
      word += text[++at];
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/**
 * Reads back the test cases of a junit.xml that renderJunit wrote: enough of XML to check what
 * each case says (its schema validity is checked with xmllint in junit-schema.test.ts).
 */
export interface ReadCase {
  classname: string;
  name: string;
  time: string;
  file: string | undefined;
  result: 'passed' | 'failure' | 'error' | 'skipped';
  type: string | undefined;
  message: string | undefined;
  detail: string | undefined;
  output: string | undefined;
}

export function junitCasesOf(xml: string): ReadCase[] {
  return [...xml.matchAll(/<testcase ([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g)].map((m) => {
    const attrs = attributesOf(m[1] ?? '');
    const body = m[2] ?? '';
    const problem = /<(failure|error) ([^>]*)>([\s\S]*?)<\/\1>/.exec(body);
    const skipped = /<skipped ([^>]*)\/>/.exec(body);
    const output = /<system-out>([\s\S]*?)<\/system-out>/.exec(body);
    const problemAttrs = attributesOf(problem?.[2] ?? skipped?.[1] ?? '');
    return {
      classname: attrs.classname ?? '',
      name: attrs.name ?? '',
      time: attrs.time ?? '',
      file: attrs.file,
      result: problem ? (problem[1] as 'failure' | 'error') : skipped ? 'skipped' : 'passed',
      type: problemAttrs.type,
      message: problemAttrs.message,
      detail: problem ? unescapeText(problem[3] ?? '') : undefined,
      output: output ? unescapeText(output[1] ?? '') : undefined,
    };
  });
}

/** The attributes of one element's start tag (the first match of `element`). */
export function elementAttributes(xml: string, element: string): Record<string, string> {
  const match = new RegExp(`<${element} ([^>]*?)/?>`).exec(xml);
  return attributesOf(match?.[1] ?? '');
}

function attributesOf(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/([\w.-]+)="([^"]*)"/g)].map((m) => [m[1], unescapeText(m[2] ?? '')]));
}

function unescapeText(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, (_, entity: string) => {
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[entity] ?? '';
  });
}

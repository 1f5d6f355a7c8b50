import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { expect } from 'vitest';

/** JUnit XML read back with a real XML parser (fast-xml-parser), attributes and all. */
export function parseJunit(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true);
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name), parseAttributeValue: false, trimValues: false });
  return parser.parse(xml) as {
    testsuites: {
      name: string;
      tests: string;
      failures: string;
      errors: string;
      skipped: string;
      testsuite: { name: string; tests: string; failures: string; errors: string; skipped: string; testcase: Record<string, unknown>[] }[];
    };
  };
}


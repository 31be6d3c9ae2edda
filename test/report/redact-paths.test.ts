import { describe, expect, it } from 'vitest';
import { defaultReportName, pathInside, safeFileName } from '../../src/report/paths.js';
import { redactAddress, redactExcerpt, redactText } from '../../src/report/redact.js';

describe('redaction of staff personal data', () => {
  it('removes numbers, addresses and names, keeps what happened', () => {
    expect(redactText('Please call our scheduling line at (312) 555-0199 or +1 312 555 0100.')).toBe('Please call our scheduling line at [phone] or [phone].');
    expect(redactText('Write to maria.lopez@north.example.org')).toBe('Write to [email]@north.example.org');
    expect(redactText('Hi, my name is Maria Lopez and this is Dr. Ann Smith.')).toBe('Hi, my name is [name] and this is Dr. [name].');
    expect(redactText('This is North Clinic; we open on 2027-03-05 at 9.')).toBe('This is North Clinic; we open on 2027-03-05 at 9.');
    expect(redactAddress('ann.smith@lakeside.example.org')).toBe('[redacted]@lakeside.example.org');
  });

  it('drops the signature and quoted text of an excerpt unless told not to redact', () => {
    const reply = 'We can see you Tuesday.\n\nBest regards,\nMaria Lopez\nScheduling\n\nOn Mon, Jordan Avery wrote:\n> Hello';
    expect(redactExcerpt(reply, true)).toBe('We can see you Tuesday.\n[signature removed]\n[quoted text omitted]');
    expect(redactExcerpt(reply, false)).toBe(reply);
  });
});

describe('report file names derived from names stay inside the output folder', () => {
  it.each(['../x', '../../etc/passwd', '/etc/passwd', 'a\u0000b', 'C:\\Windows\\x', '..', '.', '', 'Ünïcode Clinic / North'])('%j', (name) => {
    const dir = '/tmp/reports';
    const p = pathInside(dir, name);
    expect(p.startsWith('/tmp/reports/')).toBe(true);
    expect(p.slice('/tmp/reports/'.length)).not.toMatch(/[/\\]|^\.\.?$/);
    expect(p).not.toContain('\u0000');
  });

  it('names a report after the organization and the day', () => {
    expect(defaultReportName('Lakeside Health / ../../x', Date.UTC(2027, 2, 11), 'html')).toBe('lakeside-health-x-2027-03-11.html');
    expect(safeFileName('Ünïcode Clinic / North')).toBe('unicode-clinic-north');
  });
});

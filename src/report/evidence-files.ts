/**
 * Evidence too large or too raw to sit inside the report: each call recording (a copy of the
 * WAV the phone collector saved under reports/artifacts/) and each whole transcript (the phone
 * menu's, a voicemail's) as a file in a folder beside the report, `<report name>-files/`,
 * linked from the evidence appendix by a relative address. Every name is made from the
 * report's and the inquiry's names through safeFileName and checked to stay in that folder;
 * transcripts are plain text (already redacted unless --no-redact) and go through the same
 * secret scrubbing as the report. The only part of the appendix that touches the disk.
 */
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import type { ReportModel } from '../score/model.js';
import { channelWords } from '../score/findings.js';
import type { ProbeView } from './evidence.js';
import { when } from './format.js';
import { pathInside, safeFileName } from './paths.js';
import { writeReport } from './write.js';

export interface EvidenceFilesOptions {
  /** Applied to every text file (the CLI's secret masking). */
  scrub: (text: string) => string;
}

/** The folder beside `reportPath` that holds its evidence files. */
export function evidenceFolder(reportPath: string): { dir: string; name: string } {
  const name = `${safeFileName(basename(reportPath, extname(reportPath)), 'report')}-files`;
  return { dir: pathInside(dirname(reportPath), name), name };
}

/** Writes the files and fills each view's `files` (relative links for the appendix). Returns how many were written. */
export function writeEvidenceFiles(m: ReportModel, views: ProbeView[], reportPath: string, o: EvidenceFilesOptions): number {
  const { dir, name: folder } = evidenceFolder(reportPath);
  // What an earlier report of the same name left: a redacted report must not keep an earlier recording beside it.
  try {
    for (const f of readdirSync(dir)) if (/\.(wav|txt)$/.test(f)) rmSync(pathInside(dir, f), { force: true });
  } catch {
    /* no folder yet */
  }
  const sites = new Map(m.sites.map((s) => [s.id, s]));
  let written = 0;
  const add = (p: ProbeView, label: string, fileName: string, write: (path: string) => void) => {
    const name = safeFileName(fileName);
    mkdirSync(dir, { recursive: true });
    write(pathInside(dir, name));
    p.files.push({ label, name, href: `${encodeURIComponent(folder)}/${encodeURIComponent(name)}` });
    written++;
  };
  for (const p of views) {
    const site = sites.get(p.siteId);
    const zone = site?.timezone ?? m.timezone ?? 'UTC';
    const stem = `${p.siteId}-${p.token || `inquiry-${p.id}`}`;
    // Voicemails numbered by when they were left, the same number on a recording and its transcript.
    const left = [...new Set([...p.recordings, ...p.transcripts].filter((x) => x.what === 'voicemail').map((x) => x.at))].sort((a, b) => a - b);
    const nth = (at: number) => left.indexOf(at) + 1;
    const several = left.length > 1;
    for (const r of p.recordings) {
      if (r.what === 'call') add(p, 'call recording (WAV)', `${stem}-call.wav`, (path) => copyFileSync(r.path, path));
      else add(p, `voicemail recording${several ? ` ${nth(r.at)}` : ''} (WAV)`, `${stem}-voicemail-${nth(r.at)}.wav`, (path) => copyFileSync(r.path, path));
    }
    for (const t of p.transcripts) {
      const isIvr = t.what === 'ivr';
      const n = isIvr ? 0 : nth(t.at);
      const what = isIvr ? 'what the phone menu said on our test call' : 'a voicemail left on a callback';
      const head = [
        `Transcript: ${what}`,
        `Test inquiry ${p.token} · ${site?.name ?? p.siteId} · ${channelWords(p.channel)} · ${p.target}`,
        `When: ${when(t.at, zone)}`,
        '',
      ].join('\n');
      add(p, isIvr ? 'phone menu transcript' : `voicemail transcript${several ? ` ${n}` : ''}`, `${stem}-${isIvr ? 'ivr' : `voicemail-${n}`}.txt`, (path) =>
        writeReport(path, o.scrub(`${head}\n${t.text}\n`)),
      );
    }
  }
  return written;
}

/**
 * Splits a reply's plain text into what the writer wrote now, their signature, disclaimers
 * and the quoted message they answer. Only the first part says anything about how the
 * organization handled the inquiry: a phone number in a signature or the campaign name in
 * the shopper's own quoted inquiry must not count.
 */

export interface ReplyParts {
  /** What the writer wrote in this message. */
  body: string;
  signature: string;
  disclaimer: string;
  quoted: string;
}

/** Help desks' "reply above this line" marker (Zendesk, Jira Service Management, Freshdesk, Help Scout ...), five languages. */
const REPLY_ABOVE =
  /^\s*[#—–-]*\s*(please )?((type|write|add|enter) (your )?(reply|response)|reply|respond) above this line\.?\s*[#—–-]*\s*$|^\s*[#—–-]*\s*(escriba|escribe) su respuesta (por )?encima de esta l[ií]nea\.?\s*[#—–-]*\s*$|^\s*[#—–-]*\s*(veuillez )?(saisir|[ée]crire|r[ée]pondre) (votre r[ée]ponse )?au-dessus de cette ligne\.?\s*[#—–-]*\s*$|^\s*[#—–-]*\s*bitte (geben sie ihre antwort )?(oberhalb|über) dieser zeile( antworten| ein)?\.?\s*[#—–-]*\s*$|^\s*[#—–-]*\s*(digite|escreva) sua resposta acima desta linha\.?\s*[#—–-]*\s*$/i;

/**
 * A help desk's comment header: who wrote the comment below it and when. ServiceNow "2027-03-09
 * 14:22:10 CST - Rafael Ortiz  Additional comments", Zendesk "Dana Ruiz (North Clinic), Mar 9,
 * 2027, 2:47 PM CST", Jira Service Management "Keisha Moore commented:", and the like.
 */
const DESK_ATTRIBUTION = [
  /^\s*\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d)?.{0,12}\s[-–]\s.{2,80}?\s(Additional comments|Work notes|Comments?|Reply|Response)\s*$/i,
  /^\s*\p{L}[\p{L}'’. -]{1,60}(\s\([^)]{1,80}\))?,\s+(\p{L}{3,9}\.?\s\d{1,2}|\d{1,2}\.?\s\p{L}{3,9}\.?),?\s\d{4},?\s(at\s|à\s|um\s|a las\s|às\s)?\d{1,2}[:h]\d\d(\s?[AP]M)?(\s\p{Lu}{2,5})?\s*$/iu,
  /^\s*\p{L}[\p{L}'’. -]{1,60}\s(commented|replied|responded|a comment[ée]|a r[ée]pondu|coment[óo]|respondi[óo]|hat kommentiert|hat geantwortet|comentou|respondeu)(\son\s[^:]{0,60})?:\s*$/iu,
];
const SEPARATOR = /^\s*([-_=—–]\s?){8,}\s*$/;
/** What a desk says above the newest comment ("Your request (48213) has been updated"): no words of the writer's. */
const DESK_NOTICE = /\b(has been updated|have been updated|comments? (were |was )?added|new (comment|reply|response)|(replied|responded) to your (request|ticket|case)|(request|ticket|case)\b.{0,40}\bupdated|ha sido actualizad|a [ée]t[ée] mis[e]? [àa] jour|wurde aktualisiert|foi atualizad|reply to this (e-?mail|message)|add additional comments)/i;

/**
 * A help desk's notification carries the conversation as comment blocks, newest first, under
 * a notice and a marker: the writer's words are the first block, the rest is history (often
 * the shopper's own inquiry). Returns [start, end) of that block, or undefined.
 */
function deskComment(lines: string[], recipient?: string): [number, number] | undefined {
  const first = lines.findIndex((l) => DESK_ATTRIBUTION.some((re) => re.test(l)));
  if (first < 0) return undefined;
  // The newest comment is the recipient's own (a desk's "request received" notice quoting the
  // requester's message): the writer's words are the notice above it, the comment is history.
  if (recipient && recipient.length >= 3 && lines[first]!.toLowerCase().includes(recipient.toLowerCase())) return [0, first];
  const before = lines.slice(0, first).filter((l) => l.trim() && !SEPARATOR.test(l) && !REPLY_ABOVE.test(l));
  const words = before.join(' ').split(/\s+/).filter(Boolean).length;
  if (words > 40 || (before.length && !before.some((l) => DESK_NOTICE.test(l)) && words > 12)) return undefined;
  let end = first + 1;
  while (end < lines.length && !SEPARATOR.test(lines[end]!) && !DESK_ATTRIBUTION.some((re) => re.test(lines[end]!))) end++;
  return [first + 1, end];
}

/** Lines that start a quoted earlier message (Gmail, Outlook, Apple Mail, Spanish clients). */
const QUOTE_HEADER = [
  /^\s*On .{4,200}\bwrote:\s*$/i,
  /^\s*El .{4,200}\bescribi[óo]:\s*$/i,
  /^\s*Le .{4,200}\ba [ée]crit\s*:\s*$/i,
  /^\s*Am .{4,200}\bschrieb .{0,120}:\s*$/i,
  /^\s*Em .{4,200}\bescreveu:\s*$/i,
  /^\s*-{2,}\s*(Message d'origine|Urspr[üu]ngliche Nachricht|Mensagem original|Original message)\s*-{2,}\s*$/i,
  /^\s*-{2,}\s*(Original Message|Forwarded message|Mensaje original|Mensaje reenviado)\s*-{2,}\s*$/i,
  /^\s*_{8,}\s*$/,
  /^\s*-{10,}\s*$/, // help desks (Zendesk) separate the conversation history with a dashed line
  REPLY_ABOVE,
];

/**
 * Receipts and ticket notices that copy the inquiry back under an introducing line ("You
 * wrote:", "Here is a copy of what you sent us:", "Message Body:", "Ihre Ticketdaten:"): what
 * follows, up to a signature delimiter, is the shopper's text, never the writer's.
 */
const ECHO_INTRO =
  /(?:^|(?<=[.!?]))\s*(you wrote|(here('s| is) )?(a copy of )?(what you (sent|submitted|wrote)( us)?|your (original )?(message|inquiry|enquiry|request|submission|entry|ticket details))|(original )?message( body| text)?|(your )?(submission|form) (details|data|summary)|(su|tu) (mensaje|consulta|solicitud)|usted escribi[óo]|votre (message|demande)|vous avez [ée]crit|ihre (nachricht|anfrage|ticketdaten|angaben)|sie schrieben|sua (mensagem|solicita[çc][ãa]o)|voc[êe] escreveu)\s*:\s*$/i;

/** Signature delimiters and sign-offs after which the rest is a signature. */
const SIGNATURE_START = [
  /^-- ?$/,
  /^\s*(Best|Kind|Warm)? ?regards,?\s*$/i,
  /^\s*(Thanks|Thank you|Many thanks|Cheers|Sincerely|Respectfully|Best|Take care)[,!.]?\s*$/i,
  /^\s*(Saludos|Atentamente|Cordialmente|Gracias|Un saludo)[,!.]?\s*$/i,
  /^\s*Sent from my (iPhone|iPad|Android|mobile|Galaxy|Samsung|BlackBerry|phone)/i,
  /^\s*(Get Outlook for (iOS|Android)|Sent from (Outlook|Mail for Windows|Yahoo Mail)|Envoy[ée] de mon|Von meinem .{1,30} gesendet|Enviado do meu|Enviado desde)/i,
  /^\s*(Grüße|Gruß|(Viele|Beste|Liebe|Freundliche|Herzliche|Schöne) Grüße|Mit freundlichen Grüßen|Cordialement|Bien à vous|Bien cordialement|Merci|Atenciosamente|Abraços|Um abraço|Cumprimentos|Obrigad[oa])[,!.]?\s*$/i,
  /^\s*(Best wishes|All the best|Talk soon|Warmly|Saludos cordiales|Muchas gracias)[,!.]?\s*$/i,
];

const DISCLAIMER_START = [
  // Help desks' and platforms' footers ("View request · Turn off this request's notifications",
  // "..., powered by Jira Service Management, sent you this message", "To reply, respond to this email").
  /^\s*(view request|turn off (this request'?s )?notifications|this is shared with|to reply,? (just )?(respond|reply) to this e-?mail|you are receiving this (because|e-?mail)|manage (your )?notifications)\b/i,
  /\bpowered by\b.{0,60}$|\bsent you this (message|e-?mail)\b/i,
  /^\s*(CONFIDENTIALITY|PRIVILEGED|DISCLAIMER|IMPORTANT)\b.*(NOTICE|WARNING)?/i,
  /^\s*This (e-?mail|message|communication)( and any attachments)? (is|are|may contain|contains) (intended|confidential|privileged)/i,
  /^\s*The information (contained )?in this (e-?mail|message)/i,
  /^\s*If you (are not|have received this) .{0,40}(intended recipient|in error)/i,
  /^\s*AVISO DE CONFIDENCIALIDAD/i,
  /^\s*Este (correo|mensaje) (electr[óo]nico )?(es|puede contener|contiene) .{0,40}(confidencial|privilegiad)/i,
];

export interface SplitOptions {
  /** The display name the message was sent to (the shopper): a desk comment under that name is theirs, not the writer's. */
  recipient?: string | undefined;
}

// The classifier splits each reply twice (its text verdict and its signals): the last split is
// kept and handed out again for the same text and recipient. Callers only read the parts.
let lastSplit: { text: string; recipient: string | undefined; parts: ReplyParts } | null = null;

export function splitReply(text: string, opts: SplitOptions = {}): ReplyParts {
  if (lastSplit && lastSplit.text === text && lastSplit.recipient === opts.recipient) return lastSplit.parts;
  const parts = splitFresh(text, opts);
  lastSplit = { text, recipient: opts.recipient, parts };
  return parts;
}

function splitFresh(text: string, opts: SplitOptions = {}): ReplyParts {
  const all = text.replace(/\r\n?/g, '\n').split('\n');
  const desk = deskComment(all, opts.recipient);
  if (desk) {
    const own = splitReply(all.slice(desk[0], desk[1]).join('\n'));
    const history = [...all.slice(0, Math.max(0, desk[0] - 1)), ...all.slice(desk[1])].filter((l) => !REPLY_ABOVE.test(l)).join('\n').trim();
    return { ...own, quoted: [own.quoted, history].filter(Boolean).join('\n') };
  }
  const lines = all;
  let end = lines.length;
  // The quoted message: the first quote header, or the first run of "> " lines.
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const outlookBlock =
      /^\s*\*?(From|De|Von|Da)\s?:\*?\s/i.test(l) &&
      lines.slice(i + 1, i + 5).some((n) => /^\s*\*?(Sent|Date|Enviado|Fecha|To|Para|Subject|Asunto|Envoy[ée]|[ÀA]|Objet|Gesendet|An|Betreff|Data|Assunto)\s?:/i.test(n));
    const header = outlookBlock || QUOTE_HEADER.some((re) => re.test(l));
    // Help desks put "type your reply above this line" at the very top: drop it, keep going.
    if (header && !lines.slice(0, i).some((x) => x.trim()) && /reply above|respuesta por encima/i.test(l)) {
      lines[i] = '';
      continue;
    }
    const echo = ECHO_INTRO.exec(l);
    if (echo) {
      // The copy runs to a signature delimiter ("-- "), after which the sender's footer resumes.
      let stop = i + 1;
      while (stop < lines.length && !/^-- ?$/.test(lines[stop]!)) stop++;
      const own = [...lines.slice(0, i), l.slice(0, echo.index), ...lines.slice(stop)];
      const parts = splitReply(own.join('\n'));
      return { ...parts, quoted: [[l.slice(echo.index), ...lines.slice(i + 1, stop)].join('\n').trim(), parts.quoted].filter(Boolean).join('\n') };
    }
    if (header || (/^\s*>/.test(l) && i > 0)) {
      end = i;
      break;
    }
    if (/^\s*>/.test(l) && i === 0) {
      end = 0;
      break;
    }
  }
  let quoted = lines.slice(end).join('\n');
  let own = lines.slice(0, end);
  // Bottom-posted or inline answers: nothing above the quote, the writer's lines come after it.
  if (!own.some((l) => l.trim()) && end < lines.length) {
    const after = lines.slice(end + (/^\s*>/.test(lines[end]!) ? 0 : 1));
    const mine = after.filter((l) => !/^\s*>/.test(l));
    if (mine.some((l) => l.trim())) {
      own = mine;
      quoted = [lines[end]!, ...after.filter((l) => /^\s*>/.test(l))].join('\n');
    }
  }

  let discAt = own.length;
  for (let i = 0; i < own.length; i++)
    if (DISCLAIMER_START.some((re) => re.test(own[i]!))) {
      discAt = i;
      break;
    }
  const disclaimer = own.slice(discAt).join('\n');
  const beforeDisc = own.slice(0, discAt);

  // A sign-off only starts the signature when something short follows it (a name, a title,
  // numbers), not when a whole paragraph does ("Thanks! I can book you on Tuesday ...").
  let sigAt = beforeDisc.length;
  for (let i = 0; i < beforeDisc.length; i++) {
    if (!SIGNATURE_START.some((re) => re.test(beforeDisc[i]!))) continue;
    const rest = beforeDisc.slice(i + 1).filter((l) => l.trim());
    if (/^-- ?$/.test(beforeDisc[i]!) || (rest.length <= 10 && rest.every((l) => l.trim().length <= 90))) {
      sigAt = i;
      break;
    }
  }
  // No sign-off: trailing short contact lines (name, title, phone, address) are a signature.
  if (sigAt === beforeDisc.length) {
    let i = beforeDisc.length;
    while (i > 0 && (!beforeDisc[i - 1]!.trim() || isContactLine(beforeDisc[i - 1]!))) i--;
    // A name line and an organization or title line may sit above the contact lines
    // ("Maria" / "Pine Street Dental | 555-320-8800").
    let j = i;
    while (j > 0 && i - j < 3 && isNameOrTitleLine(beforeDisc[j - 1]!)) j--;
    if (j > 0 && j < i && !beforeDisc[j - 1]!.trim()) i = j;
    if (i < beforeDisc.length && beforeDisc.slice(i).some((l) => /\d{3}/.test(l))) sigAt = i;
  }
  return {
    body: beforeDisc.slice(0, sigAt).join('\n').trim(),
    signature: beforeDisc.slice(sigAt).join('\n').trim(),
    disclaimer: disclaimer.trim(),
    quoted: quoted.trim(),
  };
}

/** "Maria", "Dan Whitaker, Attorney", "Office Manager, Reyes & Kline LLP": short, no sentence. */
function isNameOrTitleLine(l: string): boolean {
  const s = l.trim();
  return s.length > 0 && s.length <= 60 && !/[.!?:]$/.test(s) && /^\p{Lu}/u.test(s) && s.split(/\s+/).length <= 7 && !/\b(i|we|you|please|call|will|can)\b/i.test(s);
}

/** "Tel: (555) 201-3344", "Fax 555…", "Main: …", "www.example.org", "123 Main St". */
function isContactLine(l: string): boolean {
  const s = l.trim();
  return (
    /^(t|tel|phone|ph|p|f|fax|m|mobile|cell|direct|main|office|tel[ée]fono)\b\.?:?\s*[+(\d]/i.test(s) ||
    /^[+(]?\d[\d\s().-]{8,}\d(\s*(ext|x)\.?\s*\d+)?$/.test(s) ||
    /^(www\.|https?:\/\/)\S+$/i.test(s) ||
    /^\d+ [A-Z][a-z]+ (St|Street|Ave|Avenue|Rd|Road|Blvd|Drive|Dr|Way|Lane|Ln)\b/.test(s) ||
    // "Pine Street Dental | 555-320-8800", "Front desk · (555) 201-3344"
    (s.length <= 80 && /[|·•–]/.test(s) && /\d(?:[^\p{L}\d]{0,3}\d){6}/u.test(s) && !/\b(call|please|llame|appelez|rufen|ligue)\b/i.test(s))
  );
}

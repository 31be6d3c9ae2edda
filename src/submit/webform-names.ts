/**
 * Person-name fields in English, Spanish, French, German and Portuguese: one "full name"
 * box, or first / middle / last parts. Rules read normalised label text (lowercase, no
 * accents, hyphens as spaces: "Vor- und Nachname" → "vor und nachname").
 *
 * The order matters: a combined label contains the words of its parts ("Nombre y
 * apellidos", "Prénom et nom"), so the combined forms are tried first. A bare "name" word
 * ("Name", "Nombre", "Nom", "Nome", "Ihr Name") is ambiguous: next to a first-name box it is
 * the surname (German "Vorname" + "Name", French "Prénom" + "Nom"), next to a last-name box it
 * is the given name (Spanish "Nombre" + "Apellidos"), alone it is the whole name.
 */
export type NameRole = 'full-name' | 'first-name' | 'middle-name' | 'last-name' | 'name';

const FULL = new RegExp(
  [
    'full ?name', 'your ?name', 'your full name', 'complete name', 'first and last name', 'first last name', 'name and surname', 'first name and last name',
    // es
    'nombre completo', 'nombres? (y|e) apellidos?', 'apellidos? (y|,)? ?nombres?', 'nombre y apellido',
    // fr
    'nom complet', 'nom et prenom', 'prenom et nom', 'nom prenom', 'prenom nom', 'nom (et |& )?prenoms?',
    // de
    'vor und nachname', 'vor nachname', 'vorname und (nach)?name', 'name und vorname', 'vollstandiger name', 'vor und zuname',
    // pt
    'nome completo', 'nome e sobrenome', 'nome e apelido',
  ].join('|'),
);
const MIDDLE = /middle ?name|middle initial|segundo nombre|deuxieme prenom|second prenom|autres prenoms|zweiter vorname|weitere vornamen|nome do meio/;
const LAST = /last ?name|\blname\b|surname|family ?name|\bapellidos?\b|nom de famille|\bnom de naissance\b|\bnachname\b|familienname|\bzuname\b|sobrenome|\bapelido\b/;
const FIRST = /first ?name|\bfname\b|given ?name|forename|primer nombre|\bprenom\b|\bvorname\b|primeiro nome|nome proprio/;
const BARE = /\bname\b|\bnombre\b|\bnom\b|\bnome\b/;

/** The name role a piece of normalised text names, if any. */
export function nameRoleOf(text: string): NameRole | undefined {
  if (FULL.test(text)) return 'full-name';
  if (MIDDLE.test(text)) return 'middle-name';
  if (LAST.test(text)) return 'last-name';
  if (FIRST.test(text)) return 'first-name';
  if (BARE.test(text)) return 'name';
  return undefined;
}

/** What a bare "name" box is, given the other name boxes of the same form step. */
export function resolveBareName(hasFirst: boolean, hasLast: boolean): 'full-name' | 'first-name' | 'last-name' {
  if (hasLast && !hasFirst) return 'first-name';
  if (hasFirst && !hasLast) return 'last-name';
  return 'full-name';
}

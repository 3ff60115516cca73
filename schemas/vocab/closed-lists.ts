/**
 * The short closed lists read the way real catalogues write them: vocabulary URIs (EU access-right authority,
 * COAR access rights, info:eu-repo semantics, Zenodo's access words), longer wordings ("Data access agreement
 * required", "Available upon reasonable request") and other European languages (de, fr, es, it, nl, pt, pl,
 * sv). Keyword rules, checked in order; the first rule whose pattern occurs in the wording wins.
 */
import type { AccessRightsCode, CollectionStatusCode, SexCode } from './lists.js';

/** Accent-free lower-case text with punctuation turned into spaces, padded so `\b`-free patterns can use ` `. */
export function plainWords(raw: string): string {
  return ` ${raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `;
}

type KeywordRule<C> = readonly [RegExp, C];

/** Vocabulary URIs and ids → access-rights code. */
const ACCESS_URIS: readonly KeywordRule<AccessRightsCode>[] = [
  [/access-right\/(public)\b/i, 'PUBLIC'],
  [/access-right\/(restricted|sensitive)\b/i, 'RESTRICTED'],
  [/access-right\/(non_public|confidential)\b/i, 'NON_PUBLIC'],
  [/coar\/access_right\/c_abf2\b/i, 'PUBLIC'], // open access
  [/coar\/access_right\/c_16ec\b/i, 'RESTRICTED'], // restricted access
  [/coar\/access_right\/(c_f1cf|c_14cb)\b/i, 'NON_PUBLIC'], // embargoed, metadata only
  [/info:eu-repo\/semantics\/openaccess/i, 'PUBLIC'],
  [/info:eu-repo\/semantics\/restrictedaccess/i, 'RESTRICTED'],
  [/info:eu-repo\/semantics\/(closedaccess|embargoedaccess)/i, 'NON_PUBLIC'],
];

/**
 * Wordings → access rights. Negations first ("not public", "nicht öffentlich"), then anything that needs a
 * step before access (request, agreement, registration, approval), then plain openness.
 */
const ACCESS_WORDS: readonly KeywordRule<AccessRightsCode>[] = [
  [
    / (non|not|nicht|niet|no|nao|nie|icke|ej) ?(public|publicly|open|offentlich|openbaar|publico|pubblico|publiczny|offentlig|available|disponible|accessible)|niepubliczn|non ?public|nonpublic/,
    'NON_PUBLIC',
  ],
  [
    / (private|prive|privee|privado|privato|privat|prywatn|closed|ferme|cerrado|chiuso|gesloten|geschlossen|zamkniet|stangd|internal|intern|interno|confidential|confidentiel|vertraulich|embargo\w*|metadata only|unavailable|not available|no access|none) /,
    'NON_PUBLIC',
  ],
  [
    / (restrict\w*|registered|registration|register|controlled|limited|request|requests|requested|application|apply|agreement|agreements|dua|dta|dac|approval|approved|authori[sz]ation|authori[sz]ed|credential\w*|login|account|permission|consent|managed|protected|eingeschrankt|beschrankt|anfrage|antrag|restreint|restreinte|demande|restringido|solicitud|peticion|ristrett\w*|riservat\w*|limitat\w*|richiesta|beperkt|aanvraag|verzoek|restrito|pedido|ograniczon\w*|wniosek|begransad|ansokan|safe haven|secure|tre|spe|sensitive) /,
    'RESTRICTED',
  ],
  [
    / (public|publicly|open|openly|free|freely|unrestricted|offentlich|offen|frei|ouvert|libre|publico|abierto|pubblico|aperto|libero|openbaar|vrij|aberto|publiczn\w*|otwart\w*|offentlig|oppen|fri) /,
    'PUBLIC',
  ],
];

export function accessRightsFromWords(raw: string): AccessRightsCode | undefined {
  for (const [re, code] of ACCESS_URIS) if (re.test(raw)) return code;
  const w = plainWords(raw);
  for (const [re, code] of ACCESS_WORDS) if (re.test(w)) return code;
  return undefined;
}

/** Collection status wordings (MIABIS Active / Ended / Other), several languages. */
const STATUS_WORDS: readonly KeywordRule<CollectionStatusCode>[] = [
  [
    / (planned|planning|not yet|suspended|on hold|paused|withdrawn|terminated early|geplant|pausiert|prevu|planifie|suspendu|previsto|planificado|suspendido|pianificato|sospeso|gepland|opgeschort|planowan\w*|zawieszon\w*|planerad|pausad) /,
    'Other',
  ],
  [/ (no longer|not recruiting|not accruing|closed to accrual) /, 'Ended'],
  [
    / (complete|completed|ended|end|closed|finished|final|finalised|finalized|concluded|terminated|archived|abgeschlossen|beendet|fertig|termine|terminee|acheve|clos|cloture|finalizado|terminado|completado|cerrado|concluso|completato|terminato|chiuso|afgerond|beeindigd|voltooid|gesloten|concluido|encerrado|zakonczon\w*|avslutad|slutford) /,
    'Ended',
  ],
  [
    / (active|ongoing|open|recruiting|accruing|enrolling|in progress|current|running|continuing|collecting|growing|aktiv|laufend|offen|actif|active|en cours|activo|en curso|abierto|attivo|in corso|aperto|actief|lopend|ativo|em curso|aktywn\w*|trwajac\w*|pagaende) /,
    'Active',
  ],
];

export function statusFromWords(raw: string): CollectionStatusCode | undefined {
  const w = plainWords(raw);
  for (const [re, code] of STATUS_WORDS) if (re.test(w)) return code;
  return undefined;
}

/** Sex words in several languages (whole value). */
const SEX_WORDS: Readonly<Record<string, SexCode | 'both'>> = {
  mannlich: 'male',
  mann: 'male',
  manner: 'male',
  masculin: 'male',
  homme: 'male',
  hommes: 'male',
  masculino: 'male',
  hombre: 'male',
  hombres: 'male',
  maschio: 'male',
  maschile: 'male',
  uomo: 'male',
  uomini: 'male',
  man: 'male',
  mannen: 'male',
  mannelijk: 'male',
  homem: 'male',
  mezczyzna: 'male',
  meski: 'male',
  hane: 'male',
  man_sv: 'male',
  weiblich: 'female',
  frau: 'female',
  frauen: 'female',
  feminin: 'female',
  feminine: 'female',
  femme: 'female',
  femmes: 'female',
  femenino: 'female',
  mujer: 'female',
  mujeres: 'female',
  femmina: 'female',
  femminile: 'female',
  donna: 'female',
  donne: 'female',
  vrouw: 'female',
  vrouwen: 'female',
  vrouwelijk: 'female',
  mulher: 'female',
  kobieta: 'female',
  zenski: 'female',
  kvinna: 'female',
  hona: 'female',
  kvinnor: 'female',
  divers: 'other',
  autre: 'other',
  otro: 'other',
  altro: 'other',
  anders: 'other',
  inny: 'other',
  annat: 'other',
  unbekannt: 'unknown',
  inconnu: 'unknown',
  desconocido: 'unknown',
  sconosciuto: 'unknown',
  onbekend: 'unknown',
  desconhecido: 'unknown',
  nieznany: 'unknown',
  okand: 'unknown',
  'not reported': 'unknown',
  'not stated': 'unknown',
  beide: 'both',
  'les deux': 'both',
  ambos: 'both',
  entrambi: 'both',
  beiden: 'both',
  oba: 'both',
  bada: 'both',
  'male female': 'both',
  'female male': 'both',
  'men women': 'both',
  'women men': 'both',
  'males females': 'both',
  'females males': 'both',
  'all sexes': 'both',
  'both sexes': 'both',
  'mixed sex': 'both',
  'm f': 'both',
  'f m': 'both',
};

/** Words around a sex value that do not change it ("Female only", "male patients"). */
const SEX_FILLER = / (only|patients?|subjects?|participants?|donors?|individuals?|cases?|sex|gender|and|or|both) /g;

export function sexFromWords(raw: string): SexCode | 'both' | undefined {
  const w = plainWords(raw);
  const direct = SEX_WORDS[w.trim()];
  if (direct) return direct;
  const core = w.replace(SEX_FILLER, ' ').replace(SEX_FILLER, ' ').trim();
  const single =
    SEX_WORDS[core] ?? ({ male: 'male', males: 'male', female: 'female', females: 'female', men: 'male', women: 'female' } as const)[core];
  return single ?? (/^(male|men) (female|women)$|^(female|women) (male|men)$/.test(core) ? 'both' : undefined);
}

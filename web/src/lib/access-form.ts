/**
 * The request form as HTML form fields ⇄ the API's draft answers (schemas/access.ts AccessFormDraft).
 * Shared by the server action (no-JS save/submit) and the browser's autosave.
 */
export interface DraftAnswers {
  title?: string;
  laySummary?: string;
  abstract?: string;
  purposes?: { code: string; disease?: string }[];
  commercialUse?: boolean;
  ethics?: { reference?: string; expiry?: string };
  role?: 'collaborator' | 'member';
  durationMonths?: number;
  team?: { name?: string; email?: string }[];
}

export const PURPOSES = [
  { code: 'DUO:0000042', label: 'General research use (GRU)' },
  { code: 'DUO:0000006', label: 'Health, medical or biomedical research (HMB)' },
  { code: 'DUO:0000007', label: 'Disease-specific research (DS): name the ICD-10 disease' },
  { code: 'DUO:0000011', label: 'Population origins or ancestry research (POA)' },
  { code: 'DUO:0000004', label: 'No restriction (NRES)' },
];

const s = (f: FormData, k: string) => {
  const v = String(f.get(k) ?? '').trim();
  return v === '' ? undefined : v;
};

export function answersFromForm(f: FormData): DraftAnswers {
  const out: DraftAnswers = {};
  const title = s(f, 'title');
  if (title) out.title = title;
  const lay = s(f, 'laySummary');
  if (lay) out.laySummary = lay;
  const abs = s(f, 'abstract');
  if (abs) out.abstract = abs;
  const code = s(f, 'purpose');
  if (code) out.purposes = [{ code, ...(s(f, 'disease') ? { disease: s(f, 'disease') } : {}) }];
  const commercial = s(f, 'commercialUse');
  if (commercial === 'yes' || commercial === 'no') out.commercialUse = commercial === 'yes';
  const ref = s(f, 'ethicsReference');
  const exp = s(f, 'ethicsExpiry');
  if (ref || exp) out.ethics = { ...(ref ? { reference: ref } : {}), ...(exp ? { expiry: exp } : {}) };
  const role = s(f, 'role');
  if (role === 'collaborator' || role === 'member') out.role = role;
  const months = Number(s(f, 'durationMonths'));
  if (Number.isInteger(months) && months >= 1 && months <= 120) out.durationMonths = months;
  const team = (s(f, 'team') ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const m = /^(.*?)\s*<([^>]+)>\s*$/.exec(l);
      return m ? { name: m[1]!.trim(), email: m[2]!.trim() } : { name: l };
    });
  if (team.length) out.team = team;
  return out;
}

export const teamText = (team: DraftAnswers['team']) =>
  (team ?? []).map((m) => (m.email ? `${m.name ?? ''} <${m.email}>` : (m.name ?? ''))).join('\n');

/** API field paths → the HTML field that shows the error. */
export function fieldOf(path: string): string {
  if (path.startsWith('purposes') && path.endsWith('disease')) return 'disease';
  if (path.startsWith('purposes')) return 'purpose';
  if (path === 'ethics.reference') return 'ethicsReference';
  if (path === 'ethics.expiry') return 'ethicsExpiry';
  if (path.startsWith('team')) return 'team';
  return path;
}

import { bulkInsert, type Db, normaliseName, personId, Random, SEED_COUNTS, seedOwnershipOf, type SeedSize } from '../kit/index.ts';

const NAMES: Record<string, { given: string[]; family: string[] }> = {
  FR: {
    given: ['Jean', 'François', 'Hélène', 'Chloé', 'Jérôme', 'Noël', 'Amélie', 'Loïc'],
    family: ['Dupont', 'Lefèvre', 'Moreau', 'Girard', 'Bénard', 'Château'],
  },
  DE: {
    given: ['Jürgen', 'Günther', 'Käthe', 'Lukas', 'Sören', 'Anja'],
    family: ['Müller', 'Schröder', 'Weiß', 'Groß', 'Köhler', 'Bäcker'],
  },
  ES: { given: ['José', 'María', 'Íñigo', 'Begoña', 'Raúl', 'Sofía'], family: ['García', 'Núñez', 'Peña', 'Ibáñez', 'Martín', 'Gómez'] },
  PL: {
    given: ['Łukasz', 'Małgorzata', 'Paweł', 'Zofia', 'Wojciech'],
    family: ['Wiśniewski', 'Kowalczyk', 'Zieliński', 'Dąbrowska', 'Król'],
  },
  NL: { given: ['Joost', 'Femke', 'Sander', 'Anouk', 'Bram'], family: ['de Vries', 'van Dijk', 'Jansen', 'Bakker', 'Visser'] },
  IT: { given: ['Niccolò', 'Giulia', 'Matteo', 'Chiara', 'Lorenzo'], family: ['Rossi', 'Esposito', 'Bianchi', 'Romano', 'Colombo'] },
  GB: { given: ['Oliver', 'Amelia', 'Harry', 'Isla', 'George'], family: ['Smith', "O'Brien", 'Taylor', 'Davies', 'Evans'] },
  US: { given: ['Michael', 'Jennifer', 'Carlos', 'Ashley', 'Tyrone'], family: ['Johnson', 'Williams', 'Rodríguez', 'Brown', 'Nguyen'] },
  NO: { given: ['Søren', 'Ingrid', 'Bjørn', 'Åsa'], family: ['Ødegård', 'Hansen', 'Løvland', 'Berg'] },
  TR: { given: ['Ayşe', 'Mehmet', 'Işıl', 'Çağan'], family: ['Yılmaz', 'Öztürk', 'Şahin', 'Çelik'] },
};
const COUNTRIES = Object.keys(NAMES);
const NOTICES = ['RED', 'RED', 'RED', 'BLUE', 'YELLOW', 'GREEN', 'ORANGE', 'PURPLE', 'BLACK'];
const MARKS = [
  'scar on left cheek',
  'tattoo of an anchor on right forearm',
  'missing left index finger',
  'birthmark on neck',
  'pierced eyebrow',
];
const COURTS = [
  'Tribunal judiciaire de Paris',
  'Amtsgericht München',
  'Audiencia Nacional',
  'Westminster Magistrates Court',
  'Tribunale di Milano',
  'U.S. District Court S.D.N.Y.',
];
const CHARGES = ['armed robbery', 'drug trafficking', 'fraud', 'murder', 'money laundering', 'human trafficking', 'kidnapping', 'arson'];

/** Deterministic wanted persons: W000000001 … in the count the seed plan gives. */
export async function seedWantedPersons(db: Db, size: Exclude<SeedSize, 'none'>): Promise<void> {
  const random = new Random(1);
  const rows: Record<string, unknown>[] = [];
  for (let index = 1; index <= SEED_COUNTS[size].persons; index += 1) {
    const nationality = random.pick(COUNTRIES);
    const names = NAMES[nationality]!;
    const given = random.pick(names.given);
    const family = random.pick(names.family);
    const aliases = random.chance(0.4)
      ? [`${random.pick(names.given)} ${family}`, ...(random.chance(0.3) ? [`${given} ${random.pick(names.family)}`] : [])]
      : [];
    const noticeType = random.pick(NOTICES);
    const hasWarrant = noticeType === 'RED' || random.chance(0.2);
    const status = random.chance(0.85) ? 'ACTIVE' : random.pick(['CANCELLED', 'LOCATED']);
    rows.push({
      id: personId(index),
      family_name: family,
      given_names: given,
      aliases,
      date_of_birth: random.chance(0.95) ? random.date(1950, 2005) : null,
      nationality,
      sex: random.pick(['MALE', 'MALE', 'FEMALE', 'UNKNOWN']),
      distinguishing_marks: random.chance(0.3) ? [random.pick(MARKS)] : [],
      photo_ref: random.chance(0.7) ? `img://${personId(index).toLowerCase()}/front.jpg` : null,
      notice_type: noticeType,
      warrant_court: hasWarrant ? random.pick(COURTS) : null,
      warrant_issued_on: hasWarrant ? random.date(2010, 2025) : null,
      warrant_charges: hasWarrant ? [random.pick(CHARGES), ...(random.chance(0.3) ? [random.pick(CHARGES)] : [])] : [],
      caveats: random.chance(0.25) ? [random.pick(['ARMED', 'VIOLENT', 'ESCAPE_RISK'])] : [],
      status,
      ...seedOwnershipOf('person', index),
      last_verified_on: random.date(2024, 2025),
      search_text: normaliseName([`${given} ${family}`, ...aliases].join(' ')),
    });
  }
  await db.transaction((tx) => bulkInsert(tx, 'wanted_person', Object.keys(rows[0]!), rows));
}

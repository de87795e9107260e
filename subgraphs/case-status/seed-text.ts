import type { Random } from '../kit/index.ts';

/** Case statuses in the order a case moves through them. */
export const CASE_STATUSES = ['OPEN', 'UNDER_INVESTIGATION', 'CHARGED', 'AT_TRIAL', 'CLOSED'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

const CODENAMES = [
  'Nightjar',
  'Black Amber',
  'Sirocco',
  'Glass Harbour',
  'Iron Meadow',
  'Blue Lantern',
  'Silent Tide',
  'Red Heron',
  'Copper Fox',
  'Northern Gate',
  'Tramontane',
  'Edelweiss',
  'Pale Horse',
  'Windmill',
];
const OFFENCES = [
  'Armed robbery',
  'Jewellery heist',
  'Drug trafficking network',
  'Money laundering',
  'Art theft',
  'Kidnapping',
  'Passport fraud',
  'Firearms trafficking',
  'Cargo theft',
  'Homicide',
];
const NETWORKS = [
  'Cross-border vehicle theft ring',
  'Counterfeit travel document factory',
  'Stolen artwork trafficking network',
  'Illegal firearms pipeline',
  'Organised burglary gang',
];
const CITIES: Record<string, readonly string[]> = {
  FR: ['Lyon', 'Marseille', 'Paris', 'Lille', 'Bordeaux'],
  DE: ['Munich', 'Berlin', 'Cologne', 'Hamburg'],
  NL: ['Amsterdam', 'Rotterdam', 'The Hague'],
  ES: ['Madrid', 'Barcelona', 'Valencia'],
  IT: ['Milan', 'Rome', 'Naples'],
  GB: ['London', 'Glasgow', 'Manchester'],
  US: ['New York', 'Los Angeles', 'Houston'],
  PL: ['Warsaw', 'Kraków', 'Gdańsk'],
  BE: ['Brussels', 'Antwerp', 'Liège'],
};
const REASONS: Record<CaseStatus, readonly string[]> = {
  OPEN: ['Complaint registered', 'Referred by the INTERPOL National Central Bureau', 'Opened after a hit on a stolen-property record'],
  UNDER_INVESTIGATION: ['Investigating magistrate appointed', 'Joint investigation team formed', 'Search warrants executed'],
  CHARGED: ['Indictment filed', 'Suspects charged after questioning', 'Charges confirmed by the prosecutor'],
  AT_TRIAL: ['Trial opened', 'Case sent to the criminal court'],
  CLOSED: ['Verdict delivered', 'Proceedings discontinued', 'Defendants convicted', 'Acquittal; no appeal lodged'],
};

/** A realistic case title, set in a city of the case's country when it names one. */
export function caseTitle(random: Random, country: string): string {
  const roll = random.next();
  if (roll < 0.35) return `Operation ${random.pick(CODENAMES)}`;
  if (roll < 0.8) return `${random.pick(OFFENCES)}, ${random.pick(CITIES[country] ?? CITIES.FR!)}`;
  return random.pick(NETWORKS);
}

/** Why a case moved into a status. */
export const statusReason = (random: Random, status: CaseStatus): string => random.pick(REASONS[status]);

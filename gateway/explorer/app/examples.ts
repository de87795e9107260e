import type { PURPOSES } from './session.ts';

/** An operation the examples panel loads into the editor. */
export interface Example {
  title: string;
  /** Which subgraphs answer it. */
  subgraphs: string;
  /** The demo profile it is written for (gateway/explorer/server/explorer-profiles.ts): it has the scopes and grants the example needs. */
  profile: string;
  /** The `liaison-purpose` to declare with it: personal fields and writes are refused without one. */
  purpose: (typeof PURPOSES)[number];
  query: string;
}

/** Whether an example is a subscription: the explorer runs those over WebSocket, and they stream until stopped. */
export const isSubscription = (example: Example): boolean => /^\s*subscription\b/.test(example.query);

const ANALYST = 'analyst FR (read + PII)';
const BORDER_OFFICER = 'border officer DE (read-only)';
const AUDITOR = 'auditor';

// Values come from the demo seed; the first ten records of each kind are released to every granted
// partner, so each example answers its profile whenever the record's jurisdiction is granted to it.
export const EXAMPLES: Example[] = [
  {
    title: 'Wanted person by id',
    subgraphs: 'wanted-persons',
    profile: ANALYST,
    purpose: 'INVESTIGATION',
    query: `query WantedPersonById {
  wantedPerson(id: "W000000001") {
    id
    noticeType
    status
    familyName
    givenNames
    dateOfBirth
    nationality
    owningAgency
    jurisdiction
    provenance { owningAgency sourceSubgraph sourceSystem }
  }
}`,
  },
  {
    title: 'Name search',
    subgraphs: 'wanted-persons',
    profile: ANALYST,
    purpose: 'INVESTIGATION',
    query: `query NameSearch {
  searchWantedPersons(name: "taylor", first: 5) {
    totalCount
    nodes { id familyName givenNames aliases dateOfBirth nationality noticeType }
  }
}`,
  },
  {
    title: 'Vehicle by VIN',
    subgraphs: 'stolen-property',
    profile: BORDER_OFFICER,
    purpose: 'BORDER_CHECK',
    query: `query VehicleByVin {
  vehicleByVin(vin: "WF06LELN67G000010") {
    id
    description
    make
    model
    colour
    plate
    registrationCountry
    status
    reportedAt
    owningAgency
  }
}`,
  },
  {
    title: 'Vehicles by plate',
    subgraphs: 'stolen-property',
    profile: BORDER_OFFICER,
    purpose: 'BORDER_CHECK',
    query: `query VehiclesByPlate {
  vehiclesByPlate(plate: "kk 371 wg") {
    nodes { id vin make model status jurisdiction }
  }
}`,
  },
  {
    title: 'Case with subjects and property',
    subgraphs: 'case-status + wanted-persons + stolen-property',
    profile: ANALYST,
    purpose: 'INVESTIGATION',
    query: `query CaseWithSubjectsAndProperty {
  case(caseNumber: "C000000001") {
    caseNumber
    title
    status
    leadAgency
    subjects {
      nodes { id familyName givenNames noticeType cases { nodes { caseNumber title } } }
    }
    relatedProperty {
      nodes { __typename id description status case { caseNumber } }
    }
  }
}`,
  },
  {
    title: 'Open cases',
    subgraphs: 'case-status',
    profile: ANALYST,
    purpose: 'INVESTIGATION',
    query: `query OpenCases {
  cases(status: OPEN, first: 5) {
    nodes { caseNumber title status jurisdiction updatedAt }
    pageInfo { hasNextPage endCursor }
  }
}`,
  },
  {
    title: 'Issue a wanted notice (needs wanted:write)',
    subgraphs: 'wanted-persons',
    profile: ANALYST,
    purpose: 'INVESTIGATION',
    query: `mutation IssueWantedNotice {
  issueWantedNotice(
    idempotencyKey: "replace-with-a-fresh-uuid"
    input: {
      familyName: "Doe"
      givenNames: "Jane"
      dateOfBirth: "1985-06-01"
      nationality: "FR"
      sex: FEMALE
      noticeType: RED
      jurisdiction: "FR"
      warrant: { issuingCourt: "Tribunal judiciaire de Paris", issuedOn: "2026-01-15", charges: ["fraud"] }
    }
  ) {
    id
    version
    status
    owningAgency
  }
}`,
  },
  {
    title: 'Ask an owner to confirm a hit (needs hit-confirmations:write)',
    subgraphs: 'hit-confirmations + wanted-persons',
    profile: ANALYST,
    purpose: 'INVESTIGATION',
    // W000000002 belongs to the Polish police (PLKGP0001): it must answer within 10 minutes (URGENT).
    query: `mutation RequestHitConfirmation {
  requestHitConfirmation(
    idempotencyKey: "replace-with-a-fresh-uuid"
    input: { recordId: "W000000002", priority: URGENT, note: "Subject detained at a road check" }
  ) {
    id
    status
    requestedAt
    dueAt
    owningAgency
    person { id fullName noticeType }
  }
}`,
  },
  {
    title: 'Hit confirmations your agency asked for, or must answer',
    subgraphs: 'hit-confirmations',
    profile: ANALYST,
    purpose: 'INVESTIGATION',
    query: `query HitConfirmations {
  hitConfirmationRequests(first: 10) {
    totalCount
    nodes { id recordId status priority requestingAgency owningAgency dueAt answer history { step at agency } }
  }
}`,
  },
  {
    title: 'Who consulted a record, and why (needs audit:read)',
    subgraphs: 'wanted-persons',
    profile: AUDITOR,
    purpose: 'AUDIT',
    // One of the auditor's own agency's records: an auditor reads the trail of its own records only.
    query: `query WhoConsulted {
  wantedPersonsAudit(filter: { recordId: "W000000008" }, first: 10) {
    totalCount
    nodes { occurredAt kind partnerSubject partnerAgency purpose purposeReference operationName }
    pageInfo { hasNextPage endCursor }
  }
}`,
  },
  // Subscriptions, one per subgraph: run over WebSocket (graphql-transport-ws) with the session's
  // credentials in connection_init; each streams the records written from then on until stopped.
  {
    title: 'Alerts: wanted-person notices (subscription)',
    subgraphs: 'wanted-persons + case-status',
    profile: ANALYST,
    purpose: 'INVESTIGATION',
    query: `subscription WantedPersonAlerts {
  wantedPersonEvents(filter: { jurisdictions: ["FR", "DE", "ES"] }) {
    id
    change
    at
    person { id fullName noticeType status jurisdiction owningAgency cases { nodes { caseNumber } } }
  }
}`,
  },
  {
    title: 'Alerts: stolen property (subscription)',
    subgraphs: 'stolen-property + case-status',
    profile: ANALYST,
    purpose: 'INVESTIGATION',
    query: `subscription PropertyItemAlerts {
  propertyItemEvents {
    id
    change
    at
    item {
      __typename
      id
      description
      status
      jurisdiction
      ... on Vehicle { vin plate registrationCountry }
      case { caseNumber }
    }
  }
}`,
  },
  {
    title: 'Alerts: cases opened or changed (subscription)',
    subgraphs: 'case-status',
    profile: ANALYST,
    purpose: 'INVESTIGATION',
    query: `subscription CaseAlerts {
  caseEvents(filter: { changes: [CREATED, STATUS_CHANGED] }) {
    id
    change
    at
    case { caseNumber title status leadAgency jurisdiction }
  }
}`,
  },
  {
    title: 'Alerts: hit confirmations to answer or answered (subscription)',
    subgraphs: 'hit-confirmations',
    profile: ANALYST,
    purpose: 'INVESTIGATION',
    query: `subscription HitConfirmationAlerts {
  hitConfirmationRequestEvents {
    id
    change
    at
    hitConfirmationRequest { id recordId status priority requestingAgency owningAgency dueAt answer }
  }
}`,
  },
  {
    title: "Alerts: hits on your agency's records (subscription)",
    subgraphs: 'hit-confirmations + every subgraph',
    profile: AUDITOR,
    purpose: 'AUDIT',
    query: `subscription HitsOnOwnRecords {
  hitsOnOwnRecords {
    id
    kind
    at
    recordId
    sourceSubgraph
    partnerAgency
    purpose
    purposeReference
    auditSeq
    requestId
    requestStatus
  }
}`,
  },
];

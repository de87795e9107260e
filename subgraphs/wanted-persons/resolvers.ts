import {
  auditTrailQuery,
  countryCode,
  isoDate,
  type PageArgs,
  readPage,
  RECORD_LETTERS,
  recordId,
  recordMetadataResolvers,
  searchText,
} from '../kit/index.ts';
import type { WantedPersonsContext } from './context.ts';
import { Mutation } from './mutations.ts';
import type { WantedPersonRow } from './wanted-person-repository.ts';

interface SearchArgs extends PageArgs {
  name: string;
  dateOfBirth?: string | null;
  nationality?: string | null;
}

interface NoticeArgs extends PageArgs {
  noticeType: string;
  status?: string | null;
}

export const resolvers = {
  Query: {
    wantedPerson: (_: unknown, args: { id: string }, ctx: WantedPersonsContext) =>
      ctx.personById.load(recordId(args.id, 'id', RECORD_LETTERS.wantedPerson)),
    searchWantedPersons: (_: unknown, args: SearchArgs, ctx: WantedPersonsContext) => {
      const page = readPage(args);
      return ctx.persons.search(
        {
          name: searchText(args.name, 'name'),
          dateOfBirth: args.dateOfBirth ? isoDate(args.dateOfBirth, 'dateOfBirth') : undefined,
          nationality: args.nationality ? countryCode(args.nationality, 'nationality') : undefined,
        },
        page,
      );
    },
    wantedPersonsByNotice: (_: unknown, args: NoticeArgs, ctx: WantedPersonsContext) =>
      ctx.persons.byNotice(args.noticeType, args.status ?? undefined, readPage(args)),
    wantedPersonsAudit: auditTrailQuery,
  },
  Mutation,
  WantedPerson: {
    __resolveReference: (reference: { id: string }, ctx: WantedPersonsContext) =>
      ctx.personById.load(recordId(reference.id, 'id', RECORD_LETTERS.wantedPerson)),
    familyName: (row: WantedPersonRow) => row.family_name,
    givenNames: (row: WantedPersonRow) => row.given_names,
    fullName: (row: WantedPersonRow) => `${row.given_names} ${row.family_name}`,
    dateOfBirth: (row: WantedPersonRow) => row.date_of_birth,
    distinguishingMarks: (row: WantedPersonRow) => row.distinguishing_marks,
    photoRef: (row: WantedPersonRow) => row.photo_ref,
    noticeType: (row: WantedPersonRow) => row.notice_type,
    warrant: (row: WantedPersonRow) =>
      row.warrant_court && row.warrant_issued_on
        ? { issuingCourt: row.warrant_court, issuedOn: row.warrant_issued_on, charges: row.warrant_charges }
        : null,
    lastVerifiedOn: (row: WantedPersonRow) => row.last_verified_on,
    locatedOn: (row: WantedPersonRow) => row.located_on,
    statusNote: (row: WantedPersonRow) => row.status_note,
    ...recordMetadataResolvers('wanted-persons'),
  },
};

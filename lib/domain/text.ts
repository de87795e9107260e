/**
 * Characters no stored or looked-up text may carry: C0 controls other than tab, line feed and carriage
 * return, DEL, C1 controls, and unpaired surrogates. PostgreSQL refuses NUL and unpaired surrogates
 * outright (a database error, not an answer); the rest are never meant and only garble logs and trails.
 */
const UNSTORABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|\p{Cs}/u;

/**
 * What a one-line value (a header, a token subject, an audit reference) may not carry besides those:
 * any line break or tab, Unicode line and paragraph separators, and the bidirectional controls that
 * make a value display as something else than it is.
 */
const NOT_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|\p{Cs}/u;

/** True when `value` can be stored and compared as sent: nothing in {@link UNSTORABLE}. */
export const isStorableText = (value: string): boolean => !UNSTORABLE.test(value);

/** True when `value` is storable and stays on one line, displayed as it reads. */
export const isOneLineText = (value: string): boolean => !NOT_ONE_LINE.test(value);

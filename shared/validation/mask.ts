/**
 * Default masking for exports, prints and list views (GB/T 35273-2020 de-identification style):
 * PIPL requires minimum disclosure, so every export masks unless a permitted user asks otherwise.
 * All functions take `null`/`undefined` (an empty field) and return '' for them.
 */
import { parsePhone } from './phone';

type Maybe = string | null | undefined;

function stars(n: number): string {
  return '*'.repeat(Math.max(0, n));
}

/**
 * ID number: an 18-character number keeps its first 6 (area) and last 4 characters,
 * `110105********002X`. Any other length keeps the first and last character; one or two characters
 * are fully starred.
 */
export function maskIdNumber(id: Maybe): string {
  const s = (id ?? '').trim();
  if (s.length === 18) return `${s.slice(0, 6)}${stars(8)}${s.slice(-4)}`;
  if (s.length <= 2) return stars(s.length);
  return `${s.charAt(0)}${stars(s.length - 2)}${s.charAt(s.length - 1)}`;
}

/**
 * Phone: mobile `138****1234`; Beijing landline `010-****1234` (an extension is kept, since it names
 * a desk rather than a person). Anything else keeps its last 4 characters, or is fully starred when
 * it has 4 characters or fewer.
 */
export function maskPhone(phone: Maybe): string {
  const s = (phone ?? '').trim();
  if (s === '') return '';
  const parsed = parsePhone(s);
  if (parsed.ok && parsed.kind === 'mobile') {
    return `${parsed.normalized.slice(0, 3)}****${parsed.normalized.slice(7)}`;
  }
  if (parsed.ok) {
    // normalized is 010-XXXXXXXX or 010-XXXXXXXX-ext
    return `010-****${parsed.normalized.slice(8)}`;
  }
  const chars = Array.from(s);
  if (chars.length <= 4) return stars(chars.length);
  return stars(chars.length - 4) + chars.slice(-4).join('');
}

/**
 * Name: Chinese names keep the first and last character and star the middle — `张*`, `张*明`,
 * `欧**娜`; a single character is left as is. Names written in ASCII (Latin transcriptions) keep the
 * first letter followed by one `*`, so their length is not revealed either.
 */
export function maskName(name: Maybe): string {
  const s = (name ?? '').trim();
  if (s === '') return '';
  // Array.from splits by code point, so rare characters outside the BMP (𠇔) count as one.
  const chars = Array.from(s);
  if (/^[\x20-\x7e]+$/.test(s)) return `${chars[0] ?? ''}*`;
  if (chars.length === 1) return s;
  if (chars.length === 2) return `${chars[0] ?? ''}*`;
  return `${chars[0] ?? ''}${stars(chars.length - 2)}${chars[chars.length - 1] ?? ''}`;
}

// Tried in order on the trimmed address; the first that matches hides its `room` group.
const ROOM_PATTERNS: readonly RegExp[] = [
  // …1203室 / 501房 / 3户: the suffix says "room" whatever precedes it.
  /^(?<keep>.*?)(?<room>\d+[A-Za-z]?)(?<tail>室|房间|房|户)$/,
  // …2单元501, 5号楼1203, B座1502, 15层1501, 2门301(号): digits right after a building/unit/floor
  // marker are a room.
  /^(?<keep>.*(?:单元|楼|栋|幢|座|层|门)-?)(?<room>\d+[A-Za-z]?)(?<tail>号?)$/,
  // …3-2-501: building-unit-room shorthand.
  /^(?<keep>.*\d+[A-Za-z]?-\d+[A-Za-z]?-)(?<room>\d+[A-Za-z]?)(?<tail>室|号)?$/,
];

/**
 * Address: keeps everything down to the building and unit and replaces the room number with one `*`
 * per character: `和平里七区3号楼2单元501` → `和平里七区3号楼2单元***`,
 * `安德路16号院5号楼1单元1203室` → `安德路16号院5号楼1单元****室`, `…3-2-501` → `…3-2-***`.
 * A room is recognised by a 室/房/户 suffix, by digits right after 单元/楼/栋/幢/座/层/门, or as the
 * last part of an `a-b-c` triple. An address without a recognisable room (a 胡同 courtyard such as
 * `东四七条12号`, where the house number is the building) is returned unchanged.
 */
export function maskAddress(address: Maybe): string {
  const s = (address ?? '').trim();
  for (const pattern of ROOM_PATTERNS) {
    const groups = pattern.exec(s)?.groups;
    if (groups?.room !== undefined) {
      return `${groups.keep ?? ''}${stars(groups.room.length)}${groups.tail ?? ''}`;
    }
  }
  return s;
}

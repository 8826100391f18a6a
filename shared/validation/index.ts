// Platform-free validators and masking for personal data and codes (DESIGN §3, PIPL defaults).
export {
  idCheckChar,
  isValidIdNumber,
  makeIdNumber,
  parseIdNumber,
  upgradeIdNumber15,
} from './idNumber';
export type { IdError, IdParseResult } from './idNumber';
export { isBeijingLandline, isMobile, parsePhone, phoneTail } from './phone';
export type { PhoneParseResult } from './phone';
export {
  communityCodeOf,
  divisionLevel,
  isDivisionCode,
  isGridCode,
  isWithin,
  parentCode,
  streetCodeOf,
  toDistrictCode12,
  toStreetCode12,
} from './codes';
export type { DivisionLevel } from './codes';
export { maskAddress, maskIdNumber, maskName, maskPhone } from './mask';

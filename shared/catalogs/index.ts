// Reference catalogues shared by the app and the sync server: matters (事项), needs (需求) and
// special groups (重点人群).
export {
  MATTER_CATEGORIES,
  isMatterLeaf,
  matterCategory,
  matterChildren,
} from './matterCategories';
export type { MatterCategory } from './matterCategories';
export { NEED_CATEGORIES, needCategory, needChildren } from './needCategories';
export type { NeedCategory } from './needCategories';
export { SPECIAL_GROUPS, specialGroup } from './specialGroups';
export type { SpecialGroup } from './specialGroups';

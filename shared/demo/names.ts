import { WeightedTable, type Rng } from './rng';

/**
 * Plausible Chinese personal names. Surname weights are per-mille shares from the Ministry of Public
 * Security's 2020 household-register ranking (王 7.1%, 李 7.0%, 张 6.7%, 刘 5.1%, 陈 4.6% …),
 * nudged towards northern surnames (赵, 孙, 马, 高, 郭) and away from southern ones (黄, 林, 何) as a
 * Beijing street would be. Given names follow the fashions of the holder's birth decade, which is
 * what makes a register look real: 淑兰 and 建国 are grandparents, 梓涵 and 浩宇 are children.
 */
// A frequency table reads best as a dense grid, so the formatter leaves it alone.
// prettier-ignore
const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 75], ['李', 70], ['张', 70], ['刘', 58], ['陈', 38], ['杨', 32], ['赵', 30], ['黄', 14],
  ['周', 18], ['吴', 17], ['徐', 15], ['孙', 19], ['马', 17], ['朱', 12], ['胡', 11], ['郭', 15],
  ['何', 8], ['高', 16], ['林', 6], ['罗', 7], ['郑', 9], ['梁', 10], ['谢', 7], ['宋', 10],
  ['唐', 7], ['许', 7], ['韩', 11], ['冯', 9], ['邓', 6], ['曹', 8], ['彭', 5], ['曾', 4],
  ['肖', 6], ['田', 9], ['董', 9], ['袁', 6], ['潘', 4], ['于', 10], ['蒋', 5], ['蔡', 5],
  ['余', 4], ['杜', 7], ['叶', 4], ['程', 6], ['苏', 6], ['魏', 7], ['吕', 6], ['丁', 6],
  ['任', 6], ['沈', 5], ['姚', 5], ['卢', 5], ['姜', 6], ['崔', 6], ['钟', 3], ['谭', 3],
  ['陆', 4], ['汪', 3], ['范', 5], ['金', 6], ['石', 5], ['廖', 2], ['贾', 6], ['夏', 4],
  ['付', 5], ['方', 4], ['白', 5], ['邹', 3], ['孟', 5], ['熊', 3], ['秦', 4], ['邱', 3],
  ['侯', 5], ['江', 3], ['尹', 3], ['薛', 4], ['闫', 5], ['段', 4], ['雷', 3], ['龙', 2],
  ['史', 4], ['陶', 3], ['贺', 3], ['毛', 3], ['郝', 5], ['顾', 3], ['龚', 2], ['邵', 3],
  ['万', 3], ['覃', 1], ['武', 4], ['钱', 3], ['戴', 3], ['严', 3], ['欧阳', 1], ['司马', 0.3],
];

/** Characters by birth era and sex; two-character names pick two, one-character names one. */
const GIVEN: Record<'old' | 'middle' | 'young', Record<'M' | 'F', string>> = {
  // born before 1960
  old: {
    M: '建国军华明德福志广文友山宝财忠林海永庆春生田金喜荣贵',
    F: '淑秀桂玉凤兰英华珍芳琴云霞素翠荣敏桂芬慧清梅凤莲香',
  },
  // born 1960–1989
  middle: {
    M: '伟磊勇军强涛斌鹏杰峰刚辉超波宏亮东晓明志海建立新宇鑫',
    F: '静丽娜敏燕艳红霞芳颖婷洁莉雪晶玲萍娟丹蕾琳倩晓红菲',
  },
  // born 1990 and later
  young: {
    M: '浩宇轩博子睿泽晨阳昊然铭天逸俊杰宸嘉豪一诺梓航奕辰',
    F: '涵欣怡雨萱梓诗琪思彤悦佳可馨婉清若雅语晴妍一诺心瑶',
  },
};

const surnameTable = new WeightedTable(SURNAMES);

function eraOf(birthYear: number): 'old' | 'middle' | 'young' {
  if (birthYear < 1960) return 'old';
  if (birthYear < 1990) return 'middle';
  return 'young';
}

/** A surname drawn by frequency. */
export function drawSurname(rng: Rng): string {
  return surnameTable.draw(rng);
}

/** A given name fitting the sex and birth year; one character a quarter of the time. */
export function drawGivenName(rng: Rng, sex: 'M' | 'F', birthYear: number): string {
  const era = eraOf(birthYear);
  const pool = GIVEN[era][sex];
  // Single-character given names peaked with the 1960s–80s generation.
  const single = rng.chance(era === 'middle' ? 0.35 : 0.15);
  const first = pool.charAt(rng.int(pool.length));
  if (single) return first;
  let second = pool.charAt(rng.int(pool.length));
  if (second === first && rng.chance(0.7)) second = pool.charAt(rng.int(pool.length));
  return first + second;
}

/** Full name: surname + given name. */
export function drawName(
  rng: Rng,
  sex: 'M' | 'F',
  birthYear: number,
  surname = drawSurname(rng),
): string {
  return surname + drawGivenName(rng, sex, birthYear);
}

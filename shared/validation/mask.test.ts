import { describe, expect, it } from 'vitest';
import { maskAddress, maskIdNumber, maskName, maskPhone } from './mask';

describe('maskIdNumber', () => {
  it('keeps the first 6 and last 4 of an 18-character number', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskIdNumber(' 130503196704010016 ')).toBe('130503********0016');
  });

  it('keeps only the first and last character of other lengths', () => {
    expect(maskIdNumber('110105491231002')).toBe('1*************2');
    expect(maskIdNumber('G12345678')).toBe('G*******8');
    expect(maskIdNumber('abc')).toBe('a*c');
  });

  it('stars very short values completely', () => {
    expect(maskIdNumber('12')).toBe('**');
    expect(maskIdNumber('7')).toBe('*');
  });

  it('returns an empty string for empty values', () => {
    expect(maskIdNumber('')).toBe('');
    expect(maskIdNumber(null)).toBe('');
    expect(maskIdNumber(undefined)).toBe('');
  });
});

describe('maskPhone', () => {
  it('masks the middle four digits of a mobile, whatever the spelling', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone('+86 139-8765-4321')).toBe('139****4321');
  });

  it('masks the first four local digits of a Beijing landline', () => {
    expect(maskPhone('010-64001234')).toBe('010-****1234');
    expect(maskPhone('84005678')).toBe('010-****5678');
    expect(maskPhone('(010)64001234转123')).toBe('010-****1234-123');
  });

  it('keeps the last four characters of anything else', () => {
    expect(maskPhone('021-64001234')).toBe('********1234');
    expect(maskPhone('12345')).toBe('*2345');
  });

  it('stars short values completely and returns empty for empty input', () => {
    expect(maskPhone('110')).toBe('***');
    expect(maskPhone('1234')).toBe('****');
    expect(maskPhone('  ')).toBe('');
    expect(maskPhone(null)).toBe('');
    expect(maskPhone(undefined)).toBe('');
  });
});

describe('maskName', () => {
  it.each([
    ['张三明', '张*明'],
    ['张三', '张*'],
    ['欧阳娜娜', '欧**娜'],
    ['司马相如', '司**如'],
    ['阿卜杜热合曼', '阿****曼'],
    ['王', '王'],
    [' 李四 ', '李*'],
  ])('%s → %s', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  it('counts a character outside the BMP as one', () => {
    // 𠇔 is U+201D4, two UTF-16 code units.
    expect(maskName('𠇔明')).toBe('𠇔*');
    expect(maskName('王𠇔明')).toBe('王*明');
    expect(maskName('王明𠇔')).toBe('王*𠇔');
  });

  it('keeps the first letter of an ASCII name and hides its length', () => {
    expect(maskName('John Smith')).toBe('J*');
    expect(maskName('Li')).toBe('L*');
    expect(maskName('A')).toBe('A*');
  });

  it('returns an empty string for empty values', () => {
    expect(maskName('')).toBe('');
    expect(maskName('   ')).toBe('');
    expect(maskName(null)).toBe('');
    expect(maskName(undefined)).toBe('');
  });
});

describe('maskAddress', () => {
  it.each([
    ['和平里七区3号楼2单元501', '和平里七区3号楼2单元***'],
    ['安德路16号院5号楼1单元1203室', '安德路16号院5号楼1单元****室'],
    ['东城区和平里七区3-2-501', '东城区和平里七区3-2-***'],
    ['青年湖西里3-2-501室', '青年湖西里3-2-***室'],
    ['望京西园222号楼1203', '望京西园222号楼****'],
    ['光华路SOHO B座1502', '光华路SOHO B座****'],
    ['国贸大厦15层1501', '国贸大厦15层****'],
    ['交道口东大街1号楼3门201号', '交道口东大街1号楼3门***号'],
    ['团结湖北里5栋1单元-302', '团结湖北里5栋1单元-***'],
    ['方庄芳古园一区12号楼602A', '方庄芳古园一区12号楼****'],
    ['南锣鼓巷地区某平房8号院东厢房3户', '南锣鼓巷地区某平房8号院东厢房*户'],
    ['  和平里七区3号楼2单元501  ', '和平里七区3号楼2单元***'],
  ])('%s → %s', (address, masked) => {
    expect(maskAddress(address)).toBe(masked);
  });

  it('leaves an address down to the building as it is', () => {
    expect(maskAddress('和平里七区3号楼2单元')).toBe('和平里七区3号楼2单元');
    expect(maskAddress('安德路16号院5号楼')).toBe('安德路16号院5号楼');
    expect(maskAddress('东四七条12号')).toBe('东四七条12号');
  });

  it('returns an empty string for empty values', () => {
    expect(maskAddress('')).toBe('');
    expect(maskAddress(null)).toBe('');
    expect(maskAddress(undefined)).toBe('');
  });
});

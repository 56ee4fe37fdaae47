import { count } from 'drizzle-orm';
import type { Db } from './client.js';
import { crewZones, crews, drills, facilities, feeds, members, sensorRules, sensors, zones, type ZoneBoundary } from './schema/index.js';
import type { FacilityType } from './schema/zones.js';
import { seedDemoCampaign } from './seed-campaign.js';

type Box = [west: number, south: number, east: number, north: number];

const polygon = ([w, s, e, n]: Box): ZoneBoundary => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const split = ([w, s, e, n]: Box, vertical: boolean): [Box, Box] =>
  vertical ? [[w, s, (w + e) / 2, n], [(w + e) / 2, s, e, n]] : [[w, (s + n) / 2, e, n], [w, s, e, (s + n) / 2]];
const centre = ([w, s, e, n]: Box): [number, number] => [(s + n) / 2, (w + e) / 2];

/**
 * A fictional prefecture-level city on the Sha and Ying rivers (modelled on Zhoukou, Henan):
 * city → 2 districts → 4 streets → 8 community grids, with the facilities, crews and sensors a
 * duty office works with. Seeded only into an empty database.
 */
const city = { id: 'zhouhe', name: '周河市', nameEn: 'Zhouhe City', box: [114.55, 33.55, 114.75, 33.7] as Box };
const districts = [
  { id: 'shahe', name: '沙河区', nameEn: 'Shahe District', streets: [
    { id: 'renhe', name: '人和街道', nameEn: 'Renhe Subdistrict' },
    { id: 'chenzhou', name: '陈州街道', nameEn: 'Chenzhou Subdistrict' },
  ] },
  { id: 'yingshui', name: '颍水区', nameEn: 'Yingshui District', streets: [
    { id: 'hehua', name: '荷花街道', nameEn: 'Hehua Subdistrict' },
    { id: 'qiyi', name: '七一路街道', nameEn: 'Qiyi Road Subdistrict' },
  ] },
];

export async function seedDemoCity(db: Db): Promise<boolean> {
  const [existing] = await db.select({ n: count() }).from(zones);
  if ((existing?.n ?? 0) > 0) return false;
  await db.transaction(async (tx) => {
    await tx.insert(zones).values({ id: city.id, name: city.name, nameEn: city.nameEn, tier: 'city', parentId: null, boundary: polygon(city.box), geocodes: [{ valueName: 'adcode', value: '411600' }] });
    const districtBoxes = split(city.box, true);
    const gridIds: { id: string; box: Box; street: string }[] = [];
    for (const [d, district] of districts.entries()) {
      const dBox = districtBoxes[d] as Box;
      await tx.insert(zones).values({ id: district.id, name: district.name, nameEn: district.nameEn, tier: 'district', parentId: city.id, boundary: polygon(dBox), geocodes: [{ valueName: 'adcode', value: `41160${d + 2}` }] });
      const streetBoxes = split(dBox, false);
      for (const [s, street] of district.streets.entries()) {
        const sBox = streetBoxes[s] as Box;
        await tx.insert(zones).values({ id: street.id, name: street.name, nameEn: street.nameEn, tier: 'street', parentId: district.id, boundary: polygon(sBox) });
        for (const [g, gBox] of split(sBox, true).entries()) {
          const id = `${street.id}-g${g + 1}`;
          gridIds.push({ id, box: gBox, street: street.id });
          await tx.insert(zones).values({ id, name: `${street.name}第${g + 1}网格`, nameEn: `${street.nameEn} grid ${g + 1}`, tier: 'grid', parentId: street.id, boundary: polygon(gBox) });
        }
      }
    }

    const facility = (id: string, name: string, nameEn: string, type: FacilityType, grid: number, properties: Record<string, number | string> = {}) => {
      const g = gridIds[grid];
      if (!g) throw new Error(`no grid ${grid}`);
      const [lat, lon] = centre(g.box);
      return { id, name, nameEn, type, zoneId: g.id, lat: lat + (grid % 3) * 0.002, lon: lon - (grid % 2) * 0.002, properties };
    };
    await tx.insert(facilities).values([
      facility('underpass-renmin', '人民路下穿隧道', 'Renmin Road underpass', 'underpass', 0, { closeDepthM: 0.27, warnDepthM: 0.15 }),
      facility('underpass-railway', '铁路桥下穿通道', 'Railway bridge underpass', 'underpass', 5, { closeDepthM: 0.27, warnDepthM: 0.15 }),
      facility('waterlog-bayi', '八一路积水点', 'Bayi Road waterlogging point', 'waterlogging-point', 1, { warnDepthM: 0.15 }),
      facility('waterlog-wenchang', '文昌大道积水点', 'Wenchang Avenue waterlogging point', 'waterlogging-point', 6, { warnDepthM: 0.15 }),
      facility('pump-3', '3号雨水泵站', 'Stormwater pumping station 3', 'pumping-station', 2, { capacityM3s: 4.5 }),
      facility('pump-7', '7号雨水泵站', 'Stormwater pumping station 7', 'pumping-station', 4, { capacityM3s: 3.2 }),
      facility('gas-reg-chenzhou', '陈州路燃气调压站', 'Chenzhou Road gas regulator', 'gas-regulator', 3),
      facility('gas-station-qiyi', '七一路加气站', 'Qiyi Road CNG station', 'gas-station', 7),
      facility('sewage-east', '城东污水处理厂', 'East sewage treatment plant', 'sewage-plant', 7, { capacityM3d: 100000 }),
      facility('main-dn800', '交通路DN800供水主管', 'Jiaotong Road DN800 water main', 'water-main', 2),
      facility('transfer-hehua', '荷花垃圾转运站', 'Hehua garbage transfer station', 'garbage-transfer-station', 4),
      facility('embankment-shahe', '沙河左岸堤防', 'Sha River left embankment', 'river-embankment', 1),
      facility('embankment-ying', '颍河右岸堤防', 'Ying River right embankment', 'river-embankment', 5),
      facility('waterlog-renmin-market', '人民市场积水点', 'Renmin market waterlogging point', 'waterlogging-point', 0, { warnDepthM: 0.15 }),
    ]);

    const crewList = [
      { id: 'crew-drain-shahe', name: '沙河区排水抢险一队', specialty: 'drainage', zones: ['shahe'] },
      { id: 'crew-drain-yingshui', name: '颍水区排水抢险一队', specialty: 'drainage', zones: ['yingshui'] },
      { id: 'crew-pump-city', name: '市排水中心移动泵车队', specialty: 'pump-truck', zones: ['zhouhe'] },
      { id: 'crew-tree-city', name: '市园林绿化抢险队', specialty: 'tree-clearance', zones: ['zhouhe'] },
      { id: 'crew-gas-city', name: '燃气公司抢修队', specialty: 'gas-repair', zones: ['zhouhe'] },
      { id: 'crew-water-city', name: '自来水公司抢修队', specialty: 'water-repair', zones: ['zhouhe'] },
      { id: 'crew-patrol-renhe', name: '人和街道巡查队', specialty: 'patrol', zones: ['renhe'] },
      { id: 'crew-patrol-hehua', name: '荷花街道巡查队', specialty: 'patrol', zones: ['hehua'] },
      { id: 'crew-patrol-chenzhou', name: '陈州街道巡查队', specialty: 'patrol', zones: ['chenzhou'] },
      { id: 'crew-patrol-qiyi', name: '七一路街道巡查队', specialty: 'patrol', zones: ['qiyi'] },
      { id: 'crew-pumpops-city', name: '市排水中心泵站运行班', specialty: 'pumping-ops', zones: ['zhouhe'] },
      { id: 'crew-sewage-city', name: '城东污水厂运行班', specialty: 'sewage-ops', zones: ['zhouhe'] },
      { id: 'crew-citymgmt-shahe', name: '沙河区城管执法中队', specialty: 'city-management', zones: ['shahe'] },
      { id: 'crew-citymgmt-yingshui', name: '颍水区城管执法中队', specialty: 'city-management', zones: ['yingshui'] },
      { id: 'crew-construction-city', name: '市住建局安全监督站', specialty: 'construction-safety', zones: ['zhouhe'] },
    ];
    await tx.insert(crews).values(crewList.map(({ zones: _z, ...c }) => c));
    await tx.insert(crewZones).values(crewList.flatMap((c) => c.zones.map((zoneId) => ({ crewId: c.id, zoneId }))));
    const people = ['王建国', '李秀英', '张伟', '刘洋', '陈静', '杨帆', '赵磊', '黄敏', '周强', '吴霞', '徐涛', '孙丽', '马超', '朱红', '胡军', '郭芳', '何勇', '高峰', '林娜', '罗斌', '梁晨', '宋佳', '郑凯', '谢婷', '韩冰', '唐亮', '冯雪', '于洋', '董鹏', '萧雅'];
    await tx.insert(members).values(crewList.flatMap((c, i) => [0, 1].map((k) => ({
      id: `${c.id}-m${k + 1}`,
      crewId: c.id,
      name: people[(i * 2 + k) % people.length] ?? 'member',
      phone: `+86138${String(39400000 + i * 10 + k).padStart(8, '0')}`,
      language: 'zh-CN' as const,
      skills: [c.specialty],
      supervisor: k === 0,
    }))));

    await tx.insert(sensors).values([
      { id: 'rain-renhe', name: '人和雨量站', metric: 'rainfall', unit: 'mm', zoneId: 'renhe-g1', lat: 33.68, lon: 114.57 },
      { id: 'rain-hehua', name: '荷花雨量站', metric: 'rainfall', unit: 'mm', zoneId: 'hehua-g1', lat: 33.68, lon: 114.67 },
      { id: 'depth-underpass-renmin', name: '人民路下穿水深计', metric: 'water-level', unit: 'm', zoneId: 'renhe-g1', facilityId: 'underpass-renmin', lat: 33.66, lon: 114.575 },
      { id: 'depth-underpass-railway', name: '铁路桥下穿水深计', metric: 'water-level', unit: 'm', zoneId: 'hehua-g2', facilityId: 'underpass-railway', lat: 33.66, lon: 114.72 },
      { id: 'level-shahe', name: '沙河水位站', metric: 'water-level', unit: 'm', zoneId: 'renhe-g2', facilityId: 'embankment-shahe', lat: 33.665, lon: 114.6 },
      { id: 'wind-city', name: '市气象站风速', metric: 'wind-speed', unit: 'm/s', zoneId: 'zhouhe', lat: 33.625, lon: 114.65 },
      { id: 'gas-chenzhou', name: '陈州调压站可燃气体', metric: 'gas-concentration', unit: '%LEL', zoneId: 'chenzhou-g2', facilityId: 'gas-reg-chenzhou', lat: 33.58, lon: 114.62 },
      { id: 'pump-3-status', name: '3号泵站运行状态', metric: 'pump-status', unit: 'state', zoneId: 'chenzhou-g1', facilityId: 'pump-3', lat: 33.59, lon: 114.58 },
    ]);

    // One drill a newcomer sees at once: the heavy-rain playbook in 人和街道 on the first of each
    // month at 09:00 city time, participants told 30 minutes ahead, with a warning and a gauge reading injected.
    const now = new Date().toISOString();
    await tx.insert(drills).values({
      id: 'drill-demo-renhe-rain', name: '人和街道暴雨内涝月度演练', playbookId: 'heavy-rain', zoneId: 'renhe', level: 'III',
      participants: ['crew-drain-shahe', 'crew-patrol-renhe', 'crew-pump-city'],
      objectives: [
        { id: 'ack-5m', kind: 'ack-within', within: '5m', label: '各队伍5分钟内确认 · every crew acknowledges within 5 minutes' },
        { id: 'underpass-20m', kind: 'done-within', within: '20m', stepId: 'close-underpasses', facilityId: 'underpass-renmin', label: '20分钟内封闭人民路下穿 · Renmin Road underpass closed within 20 minutes' },
      ],
      injects: [
        { id: 'orange-warning', at: '5m', kind: 'warning', level: 'II', headline: '周河市气象台发布暴雨橙色预警（演练）' },
        { id: 'underpass-water', at: '10m', kind: 'reading', sensorId: 'depth-underpass-renmin', value: 0.3, unit: 'm' },
      ],
      timers: { ackTimeout: '5m', quorumTimeout: '10m', decisionTimeout: '5m', verifyTimeout: '15m' },
      lead: '30m', window: '2h', onRealIncident: 'end',
      schedule: { kind: 'recurring', cron: '0 9 1 * *' }, skipDates: ['2026-10-01', '2027-01-01', '2027-05-01'], overlap: 'skip',
      createdBy: 'seed', createdAt: now, updatedAt: now,
    });
  });
  await seedDemoCampaign(db);
  return true;
}

/**
 * The demo's trigger rules and feeds, for `npm start` only (tests and benchmarks set their own):
 * the underpass closing depth, the river rising fast, rain gauges gone quiet, and a QWeather
 * feed registered but switched off until a key is configured.
 */
export async function seedDemoTriggers(db: Db): Promise<boolean> {
  if ((await db.select().from(sensorRules).limit(1)).length || (await db.select().from(feeds).limit(1)).length) return false;
  const createdAt = new Date().toISOString();
  await db.insert(sensorRules).values([
    { id: 'rule-underpass-renmin-close', kind: 'threshold', sensorId: 'depth-underpass-renmin', hazard: 'heavy-rain', playbookId: 'heavy-rain', level: 'II', above: 0.27, clearBelow: 0.15, sustainedSeconds: 60, createdAt },
    { id: 'rule-underpasses-shahe', kind: 'threshold', zoneId: 'shahe', metric: 'water-level', hazard: 'heavy-rain', playbookId: 'heavy-rain', level: 'III', above: 0.2, clearBelow: 0.1, sustainedSeconds: 120, createdAt },
    { id: 'rule-shahe-river-rising', kind: 'rate-of-change', sensorId: 'level-shahe', hazard: 'heavy-rain', playbookId: 'heavy-rain', level: 'III', above: 0.3, clearBelow: 0.05, windowSeconds: 1800, createdAt },
    { id: 'rule-rain-gauges-silent', kind: 'silent', zoneId: 'zhouhe', metric: 'rainfall', silentSeconds: 1800, createdAt },
  ]);
  await db.insert(feeds).values({ id: 'qweather-zhouhe', name: '和风天气 周河市预警 (add a key to enable)', kind: 'qweather', url: 'https://devapi.qweather.com/v7/warning/now?location=101181401&lang=zh', cron: '*/5 * * * *', zoneId: 'shahe', enabled: false, createdAt });
  return true;
}

import { createSignal } from 'solid-js';
import { wallClockToIso } from './city-time';

export type Language = 'zh-CN' | 'en';
export type Bilingual = { 'zh-CN': string; en: string };

/** Every label of the app in both languages; a missing key fails the type check, not the officer. */
const dictionary = {
  appName: ['Stormdesk 城市应急值守', 'Stormdesk duty office'],
  signIn: ['登录', 'Sign in'], signOut: ['退出', 'Sign out'], username: ['用户名', 'Username'], password: ['密码', 'Password'],
  signInFailed: ['登录失败', 'Sign-in failed'], language: ['语言', 'Language'],
  board: ['值班台', 'Board'], drills: ['演练', 'Drills'], checks: ['城市体检', 'City checks'], map: ['地图', 'Map'], triggers: ['触发记录', 'Trigger log'], sensors: ['传感器', 'Sensors'],
  zones: ['区域与设施', 'Zones & facilities'], crews: ['队伍与排班', 'Crews & rosters'], feeds: ['预警源', 'Feeds'],
  playbooks: ['预案', 'Playbooks'], users: ['用户与密钥', 'Users & API keys'], audit: ['审计日志', 'Audit log'], outbox: ['消息', 'Outbox'],
  myTasks: ['我的任务', 'My tasks'], openRuns: ['运行中', 'Open runs'], none: ['暂无', 'None'], loading: ['加载中…', 'Loading…'],
  live: ['实时', 'Live'], reconnecting: ['重新连接中', 'Reconnecting'],
  hazard: ['灾种', 'Hazard'], zone: ['区域', 'Zone'], level: ['级别', 'Level'], all: ['全部', 'All'], status: ['状态', 'Status'],
  playbook: ['预案', 'Playbook'], reason: ['原因', 'Reason'], drill: ['演练', 'Drill'], launch: ['启动', 'Launch'], launchRun: ['启动预案', 'Launch a run'],
  launched: ['已启动', 'Launched'], report: ['报告', 'Report'], plan: ['处置计划', 'Plan'], timeline: ['时间线', 'Timeline'],
  tasks: ['任务', 'Tasks'], levelHistory: ['级别变化', 'Level history'], notes: ['备注', 'Notes'], actions: ['操作', 'Actions'],
  escalate: ['升级', 'Escalate'], downgrade: ['降级', 'Downgrade'], decide: ['决定', 'Decide'], note: ['备注', 'Note'], addNote: ['添加备注', 'Add note'],
  reassign: ['改派', 'Reassign'], standDown: ['解除响应', 'Stand down'], confirm: ['确认', 'Confirm'], cancel: ['取消', 'Cancel'],
  standDownQuestion: ['确认解除本次响应？所有未完成的步骤和任务将被取消。', 'Stand this run down? Every unfinished step and task is cancelled.'],
  escalateQuestion: ['确认调整响应级别？', 'Change the response level?'],
  reassignQuestion: ['确认改派该任务？', 'Reassign this task?'],
  verify: ['核实完成', 'Verify'], waive: ['免除任务', 'Waive'], waiveQuestion: ['确认免除该任务？', 'Waive this task?'],
  assignee: ['承担队伍', 'Crew'], acknowledged: ['确认时间', 'Acknowledged'], done: ['完成', 'Done'], created: ['创建', 'Created'],
  ack: ['确认收到', 'Acknowledge'], finished: ['已完成', 'Done'], help: ['请求支援', 'Need help'], helpRequested: ['已请求支援', 'Help requested'],
  subscribePush: ['开启推送通知', 'Turn on notifications'], pushOn: ['推送通知已开启', 'Notifications are on'], pushUnsupported: ['此浏览器不支持推送', 'This browser cannot receive push'],
  taskLink: ['任务', 'Task'], linkInvalid: ['链接无效或已过期', 'This link is invalid or has expired'],
  facilities: ['设施', 'Facilities'], readings: ['近期读数', 'Recent readings'], silent: ['静默', 'Silent'], lastReading: ['最近读数', 'Last reading'],
  rules: ['规则', 'Rules'], tripped: ['已触发', 'Tripped'], health: ['状态', 'Health'], feedFlags: ['预警源状态', 'Feed health'],
  members: ['成员', 'Members'], rosters: ['排班', 'Rosters'], onDuty: ['在岗', 'On duty'], phone: ['电话', 'Phone'], name: ['名称', 'Name'],
  invalidPlaybooks: ['校验失败的预案', 'Playbooks that failed validation'], version: ['版本', 'Version'], levels: ['级别', 'Levels'],
  keys: ['API 密钥', 'API keys'], role: ['角色', 'Role'], scopes: ['权限', 'Scopes'], createKey: ['创建密钥', 'Create key'], revoke: ['吊销', 'Revoke'],
  keyShownOnce: ['密钥只显示这一次，请立即保存：', 'The key is shown only this once; copy it now:'], revokeQuestion: ['确认吊销该密钥？', 'Revoke this key?'],
  createUser: ['添加用户', 'Add user'], time: ['时间', 'Time'], actor: ['操作人', 'Actor'], action: ['动作', 'Action'], outcome: ['结果', 'Outcome'],
  member: ['成员', 'Member'], channel: ['渠道', 'Channel'], message: ['内容', 'Message'], source: ['来源', 'Source'], type: ['类型', 'Type'],
  save: ['保存', 'Save'], delete: ['删除', 'Delete'], deleteQuestion: ['确认删除？', 'Delete this?'], item: ['检查项', 'Checklist item'], crewId: ['队伍编号', 'Crew id'], poll: ['立即拉取', 'Poll now'],
  skipToMain: ['跳到主要内容', 'Skip to main content'], legend: ['图例', 'Legend'], facility: ['设施', 'Facility'],
} satisfies Record<string, [string, string]>;

export type Label = keyof typeof dictionary;

const [language, setLanguageSignal] = createSignal<Language>(navigator.language.startsWith('zh') ? 'zh-CN' : 'en');
const [timeZone, setTimeZone] = createSignal('Asia/Shanghai');
export { language, timeZone, setTimeZone };

export function setLanguage(lang: Language): void {
  setLanguageSignal(lang);
  document.documentElement.lang = lang;
}

/** The label in the person's language. */
export const t = (key: Label): string => dictionary[key][language() === 'zh-CN' ? 0 : 1];
/** A playbook's or task's own two-language text. */
export const tr = (text: Bilingual | undefined): string => (text ? text[language()] : '');

const levelNames: Record<string, [string, string]> = { IV: ['IV级 蓝色', 'IV Blue'], III: ['III级 黄色', 'III Yellow'], II: ['II级 橙色', 'II Orange'], I: ['I级 红色', 'I Red'] };
export const levelName = (level: string): string => levelNames[level]?.[language() === 'zh-CN' ? 0 : 1] ?? level;

const statusNames: Record<string, [string, string]> = {
  // runs and their phases
  open: ['进行中', 'Open'], closed: ['已结束', 'Closed'], 'awaiting-confirmation': ['待确认启动', 'Awaiting confirmation'], active: ['处置中', 'Active'], monitoring: ['监测中', 'Monitoring'],
  // steps
  pending: ['待执行', 'Pending'], running: ['进行中', 'Running'], 'waiting-ack': ['等待确认', 'Waiting for acknowledgement'], failed: ['失败', 'Failed'], skipped: ['已跳过', 'Skipped'],
  // tasks (and steps)
  assigned: ['已派单', 'Assigned'], acknowledged: ['已确认', 'Acknowledged'], done: ['已完成', 'Done'], 'awaiting-verification': ['待核实', 'Awaiting verification'],
  verified: ['已核实', 'Verified'], waived: ['已免除', 'Waived'], cancelled: ['已取消', 'Cancelled'], unassigned: ['未派出', 'Unassigned'],
};
/** A run's, step's or task's status in words; an unknown one shows as it is. */
export const statusName = (status: string | undefined): string => (status ? statusNames[status]?.[language() === 'zh-CN' ? 0 : 1] ?? status : '');

/** A time as the city's clocks show it, whatever the browser's own zone. */
export function formatTime(iso: string | null | undefined, style: 'full' | 'time' = 'full'): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(language(), {
    timeZone: timeZone(), hour12: false,
    ...(style === 'time' ? { hour: '2-digit', minute: '2-digit', second: '2-digit' } : { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }),
  }).format(new Date(iso));
}

/** A wall-clock time typed as the city reads it ("2026-07-01T08:00") as an ISO instant. */
export const cityTimeToIso = (local: string): string => wallClockToIso(local, timeZone());

export * from './zones.js';
export * from './crews.js';
export * from './sensors.js';
export * from './runs.js';
export * from './messages.js';
export * from './tasks.js';
export * from './access.js';
export * from './settings.js';

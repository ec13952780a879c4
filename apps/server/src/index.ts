export { startServer, type RunningServer } from './server.ts';
export { loadServerConfig, describeSettings, ConfigError, type ServerConfig } from './config/index.ts';
export { createLogger } from './logging.ts';

export { startApiServer, type ApiServer, type ApiServerOptions } from './server.ts';

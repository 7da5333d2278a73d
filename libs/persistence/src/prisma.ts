// Prisma's client, on its own entry point (`@switchboard/persistence/prisma`): importing it loads the
// generated client and its query compiler (~75 MB resident), which only the API's console queries
// use. The rest of the package never imports it, so the worker runs without it.
export { PrismaService } from './database/prisma.service.js';
export { Prisma } from './generated/prisma/client.js';

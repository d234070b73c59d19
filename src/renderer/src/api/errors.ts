// The one mapping lives in the contract (zod-free, so it stays in the first bundle); screens import it from here.
export { errorInfoOf } from '../../../shared/api/api-error.ts';

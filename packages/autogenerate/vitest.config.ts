export { default } from '../../vitest.packages.js';

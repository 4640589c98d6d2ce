// Moved to topology/, beside the compose reader that uses it; kept here for scaffold's imports.
export { withDefaults, type Interpolated } from '../topology/compose-interpolation.js';

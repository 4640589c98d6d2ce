// Moved to topology/, beside the compose reader that uses it; kept here for scaffold's imports.
export { publishedPorts, type PublishedPort } from '../topology/compose-ports.js';

import type { PublishedPort } from './compose-ports.js';

/**
 * A compose project as compose itself resolves it (`.env`, interpolation, `extends`,
 * `include`, anchors and merge keys applied), reduced to what firedrill reads: one shape,
 * whether the compose CLI resolved it or the built-in reader did.
 */

export interface ServiceMount {
  kind: 'bind' | 'volume' | 'tmpfs';
  /** Absolute path for a bind mount, the volume's name for a named volume; none for an anonymous one. */
  source?: string;
  target: string;
  readOnly: boolean;
}

export interface ComposeModelService {
  name: string;
  /** Keys sorted. */
  labels: Record<string, string>;
  image?: string;
  /** Absolute path of the build context, when it is a local directory. */
  buildContext?: string;
  /**
   * The command as one line of text, its words joined by spaces; the entrypoint's when the
   * service sets only an entrypoint; '' when the image's own is used.
   */
  command: string;
  /** The entrypoint as one line of text ('' when the image's own is used). */
  entrypoint: string;
  /** The environment the service is given (`env_file:` then `environment:`), values resolved; unset ones left out. Keys sorted. */
  environment: Record<string, string>;
  ports: PublishedPort[];
  /** The healthcheck's test as text; undefined when there is none or it is disabled. */
  healthcheck?: string;
  /** Sorted by mount point. */
  mounts: ServiceMount[];
  /** Compose profiles: a service with any is only started when one of them is asked for. */
  profiles: string[];
  /** `network_mode` as written: "host", "none", "service:<name>", "container:<id>"…; undefined for compose's default. */
  networkMode?: string;
  /** `pid` as written ("host", "service:<name>" …): a service whose process namespace another shares is its parent too. */
  pid?: string;
  /** `ipc` as written ("shareable", "service:<name>" …). */
  ipc?: string;
  /** `deploy.replicas` (or `scale`), when set: 0 means compose creates no container for it. */
  replicas?: number;
  /** The services this one names in `depends_on` (either form), in order. */
  dependsOn: string[];
}

/** Where the project name came from, in compose's order of precedence. */
export type ProjectNameSource =
  | { kind: 'environment' } // COMPOSE_PROJECT_NAME in the environment firedrill runs in
  | { kind: 'env-file'; file: string } // COMPOSE_PROJECT_NAME in the project's .env
  | { kind: 'name-key' } // the compose file's top-level `name:`
  | { kind: 'directory'; dir: string } // the name of the compose file's directory
  | { kind: 'compose-cli' }; // the compose CLI's answer, when none of the above explains it

/** Which reader resolved the model. */
export type ComposeReaderId = { kind: 'cli'; command: string; version: string } | { kind: 'built-in' };

export interface ComposeModel {
  /** Absolute path of the compose file. */
  file: string;
  /** The project name compose gives the project, normalised as compose does; undefined when nothing usable is left. */
  project?: string;
  projectFrom: ProjectNameSource;
  /** The top-level `name:` as resolved, when the file sets one. */
  name?: string;
  /** The top-level `name:` as written, when it uses variables. */
  nameWritten?: string;
  /** Variables the top-level `name:` uses without a default that are not set here: the name CI resolves may differ. */
  nameVariablesUnset?: string[];
  /** Whether the top-level `name:` took a variable's default. */
  nameDefaultTaken?: boolean;
  services: ComposeModelService[];
  reader: ComposeReaderId;
  /** Variables used without a default that are not set (compose takes them as "" and warns). */
  unsetVariables: string[];
}

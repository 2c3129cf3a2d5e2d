// Every REST answer the test suites receive is checked against the served /openapi.json by an
// independent validator (Ajv, JSON Schema 2020-12 = OpenAPI 3.1 schemas): the status must be declared
// by the operation, and the body must match that response's schema. Drift between the document and
// the server fails the test that met it.
//
// Requests that are not an operation of the document (tRPC at /trpc, the docs, the SPA, unknown paths
// or methods) are not checked: the document makes no promise about them.
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { Response } from "supertest";
import type supertest from "supertest";

type Document = {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema?: object }> }> }>
  >;
  components?: object;
};

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

export class OpenApiValidator {
  readonly #ajv: Ajv2020;
  readonly #routes: { method: string; template: string; pattern: RegExp }[];
  readonly #compiled = new Map<string, ValidateFunction>();

  constructor(readonly document: Document) {
    this.#ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats.default(this.#ajv);
    this.#ajv.addSchema({ $id: "openapi.json", ...document } as object);
    this.#routes = Object.entries(document.paths).flatMap(([template, operations]) =>
      Object.keys(operations).map((method) => ({
        method,
        template,
        pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`),
      })),
    );
    // Static paths before templated ones (/users/me before /users/{id}), as the server matches them.
    this.#routes.sort((a, b) => Number(a.template.includes("{")) - Number(b.template.includes("{")));
  }

  /** The problems of one answer to `method url`, or [] (also when it is no operation of the document). */
  check(method: string, url: string, res: Pick<Response, "status" | "type" | "text" | "body">): string[] {
    const path = new URL(url, "http://x").pathname;
    const route = this.#routes.find((r) => r.method === method.toLowerCase() && r.pattern.test(path));
    if (!route) return [];
    const operation = this.document.paths[route.template]![route.method]!;
    const where = `${method.toUpperCase()} ${route.template} → ${res.status}`;
    const response = operation.responses[String(res.status)];
    if (!response) return [`${where}: status not declared (declared: ${Object.keys(operation.responses).join(", ")})`];
    if (!response.content) return [];
    const media = response.content[res.type];
    if (!media) return [`${where}: content type ${res.type}, declared ${Object.keys(response.content).join(", ")}`];
    if (res.type !== "application/json") return [];
    const pointer = [
      "paths",
      route.template,
      route.method,
      "responses",
      String(res.status),
      "content",
      "application/json",
      "schema",
    ]
      .map((part) => part.replace(/~/g, "~0").replace(/\//g, "~1"))
      .join("/");
    const key = `openapi.json#/${pointer}`;
    let validate = this.#compiled.get(key);
    if (!validate) {
      validate = this.#ajv.compile({ $ref: key });
      this.#compiled.set(key, validate);
    }
    if (validate(JSON.parse(res.text))) return [];
    return (validate.errors ?? []).map(
      (e) => `${where}: body${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`,
    );
  }

  /** Throws when an answer breaks the document. */
  assert(method: string, url: string, res: Response): void {
    const problems = this.check(method, url, res);
    if (problems.length > 0) {
      throw new Error(
        `answer does not match /openapi.json:\n  ${problems.join("\n  ")}\n  body: ${res.text.slice(0, 500)}`,
      );
    }
  }
}

/**
 * supertest's `request(app)`, with every answer checked against the document: each request gets an
 * assertion (supertest's `.expect(fn)`), so a mismatch fails the request like a failed `.expect`.
 */
export function validatingAgent<T extends ReturnType<typeof supertest>>(
  agent: T,
  validator: () => OpenApiValidator,
): T {
  return new Proxy(agent, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (
        typeof property !== "string" ||
        !(METHODS as readonly string[]).includes(property) ||
        typeof value !== "function"
      ) {
        return value;
      }
      return (url: string, ...rest: unknown[]) => {
        const test = (value as (url: string, ...rest: unknown[]) => supertest.Test).call(target, url, ...rest);
        return test.expect((res: Response) => validator().assert(property, url, res));
      };
    },
  });
}

const validators = new Map<string, OpenApiValidator>();
/** One validator per distinct document text (compiling is the expensive part). */
export function validatorFor(documentText: string): OpenApiValidator {
  let validator = validators.get(documentText);
  if (!validator) {
    validator = new OpenApiValidator(JSON.parse(documentText) as Document);
    validators.set(documentText, validator);
  }
  return validator;
}

// Runs `sluice <resource> list|show|create|set|delete`: resolves the names typed, sends the Octavia request,
// waits for the owning load balancer when --wait asks, and prints the result in the -o format.
import type { ApiClient, ApiObject } from './api-client.ts';
import { CliError } from './cli-error.ts';
import { findResource, owningLoadBalancerId } from './find-resource.ts';
import { formatList, formatObject, outputFormat } from './print-output.ts';
import { requestFields, resolveFields } from './request-fields.ts';
import { collectionPath, KINDS, type KindName } from './resource-kinds.ts';
import { type Progress, waitForLoadBalancer } from './wait-for-lb.ts';

export const VERBS = ['list', 'show', 'create', 'set', 'delete'] as const;
export type Verb = (typeof VERBS)[number];

export type ResourceRequest = {
  kind: KindName;
  verb: Verb;
  /** positional arguments: [parent] [name-or-id] */
  args: string[];
  options: Record<string, unknown>;
};

export type Io = { stdout: Progress; stderr: Progress };

export async function runResourceCommand(api: ApiClient, request: ResourceRequest, io: Io): Promise<void> {
  const kind = KINDS[request.kind];
  const format = outputFormat(request.options.output);
  const args = [...request.args];
  const parentId = kind.parent ? (await findResource(api, KINDS[kind.parent], args.shift()!)).id : undefined;
  const path = collectionPath(kind, parentId);
  const wait = async (lbId: string, gone = false) => {
    if (request.options.wait) await waitForLoadBalancer(api, lbId, { gone, progress: io.stderr });
  };
  const reread = async (id: string) =>
    ((await api.lbaas('GET', `${path}/${id}`)) as Record<string, ApiObject>)[kind.envelope];

  switch (request.verb) {
    case 'list': {
      const body = (await api.lbaas('GET', path)) as Record<string, ApiObject[]>;
      io.stdout.write(formatList(body[kind.plural], kind.columns, format));
      return;
    }
    case 'show': {
      io.stdout.write(formatObject(await findResource(api, kind, args[0], parentId), format));
      return;
    }
    case 'create': {
      const fields = await resolveFields(api, kind, requestFields(kind, 'create', request.options));
      if (kind.createParent) {
        fields[kind.createParent.field] = (
          await findResource(api, KINDS[kind.createParent.kind], args[0])
        ).id;
      }
      const body = (await api.lbaas('POST', path, { [kind.envelope]: fields })) as Record<string, ApiObject>;
      let created = body[kind.envelope];
      if (request.options.wait) {
        await wait(await owningLoadBalancerId(api, kind, created, parentId));
        created = await reread(created.id);
      }
      io.stdout.write(formatObject(created, format));
      return;
    }
    case 'set': {
      const object = await findResource(api, kind, args[0], parentId);
      const fields = await resolveFields(api, kind, requestFields(kind, 'set', request.options));
      if (Object.keys(fields).length === 0) throw new CliError(`nothing to set: name at least one option`);
      await api.lbaas('PUT', `${path}/${object.id}`, { [kind.envelope]: fields });
      await wait(await owningLoadBalancerId(api, kind, object, parentId));
      return;
    }
    case 'delete': {
      const object = await findResource(api, kind, args[0], parentId);
      const lbId = await owningLoadBalancerId(api, kind, object, parentId);
      const cascade = kind.name === 'loadbalancer' && request.options.cascade ? '?cascade=true' : '';
      await api.lbaas('DELETE', `${path}/${object.id}${cascade}`);
      await wait(lbId, kind.name === 'loadbalancer');
      return;
    }
  }
}

import type { Membership, Role, User } from '../domain/account';
import type { Department } from '../domain/org';
import { iso, type RecordFactory } from './envelope';
import type { DemoStreet } from './grids';
import { drawName } from './names';
import type { Rng } from './rng';

/** The sign-ins of a demo street and who acts for whom in visits, needs and case timelines. */
export interface DemoAccountSet {
  users: User[];
  memberships: Membership[];
  /** One demo user per role, for screens and end-to-end tests to sign in as. */
  byRole: Record<Role, User>;
  /** The grid worker responsible for each grid code. */
  gridWorkers: Map<string, User>;
  /** The liaison (部门联络员) of each department code. */
  liaisons: Map<string, User>;
}

/** Department whose liaison is the demo `department` user: the one that receives most cases. */
export const DEMO_DEPARTMENT_CODE = 'JD-ZFD';

/**
 * Users and memberships: `demo-admin`, `demo-street`, `demo-community` (first community),
 * `demo-department` (liaison of the street's enforcement team) and `demo-grid` (grid 001 of the
 * first community), plus one grid worker per grid (`gw-<grid code>`) and one liaison per other
 * department (`dept-<code>`).
 */
export function buildAccounts(
  street: DemoStreet,
  gridCodes: readonly string[],
  departments: readonly Department[],
  rng: Rng,
  factory: RecordFactory,
  createdMs: number,
): DemoAccountSet {
  const users: User[] = [];
  const memberships: Membership[] = [];
  const at = iso(createdMs);
  let adminId: string | null = null;

  const addUser = (username: string, departmentId: string | null = null): User => {
    const user: User = {
      id: factory.id(createdMs),
      username,
      displayName: drawName(rng, rng.chance(0.6) ? 'F' : 'M', 1970 + rng.int(30)),
      phone: `1${rng.pick(['35', '38', '39', '58', '86', '88'])}${String(rng.int(100_000_000)).padStart(8, '0')}`,
      departmentId,
      disabled: false,
      createdAt: at,
    };
    users.push(user);
    return user;
  };
  const grant = (user: User, scope: string, role: Role): void => {
    memberships.push({
      id: factory.id(createdMs),
      userId: user.id,
      scope,
      role,
      grantedAt: at,
      grantedBy: adminId,
    });
  };

  const firstCommunity = street.communities[0]?.code ?? street.code;
  const firstGrid = gridCodes[0] ?? `${firstCommunity}001`;
  const deptByCode = new Map(departments.map((d) => [d.code, d]));
  const demoDept = deptByCode.get(DEMO_DEPARTMENT_CODE) ?? departments[0];

  const admin = addUser('demo-admin');
  adminId = admin.id;
  grant(admin, street.district.code, 'admin');
  const streetUser = addUser('demo-street');
  grant(streetUser, street.code, 'street');
  const communityUser = addUser('demo-community');
  grant(communityUser, firstCommunity, 'community');
  const departmentUser = addUser('demo-department', demoDept?.id ?? null);
  grant(departmentUser, street.code, 'department');
  const gridUser = addUser('demo-grid');
  grant(gridUser, firstGrid, 'grid-worker');

  const gridWorkers = new Map<string, User>();
  for (const code of gridCodes) {
    const worker = addUser(`gw-${code}`);
    grant(worker, code, 'grid-worker');
    gridWorkers.set(code, worker);
  }
  const liaisons = new Map<string, User>();
  for (const d of departments) {
    if (d.id === demoDept?.id) {
      liaisons.set(d.code, departmentUser);
      continue;
    }
    const liaison = addUser(`dept-${d.code.toLowerCase()}`, d.id);
    grant(liaison, street.code, 'department');
    liaisons.set(d.code, liaison);
  }
  return {
    users,
    memberships,
    byRole: {
      admin,
      street: streetUser,
      community: communityUser,
      department: departmentUser,
      'grid-worker': gridUser,
    },
    gridWorkers,
    liaisons,
  };
}

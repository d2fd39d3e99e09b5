// Which plugin makes which data type. Later registration wins (as strax); a replaced
// multi-output plugin is removed from all its other data types; two plugins may not give the
// same option different defaults.

import { defaultOf, hasDefault, sameDefault } from '../options.js';
import { Plugin, type PluginClass } from '../plugin.js';

export interface Registration {
  /** The class (for worker threads and child-plugin lineage). */
  cls: PluginClass;
  /** A fresh, unconfigured instance per processing run. */
  create: () => Plugin;
  /** One instance to read the declarations from. */
  proto: Plugin;
}

/** A shallow copy of a registered instance: its own fields, its prototype. */
function cloneInstance(p: Plugin): Plugin {
  return Object.assign(Object.create(Object.getPrototypeOf(p) as object) as Plugin, p);
}

export class PluginRegistry {
  private readonly byType = new Map<string, Registration>();

  register(what: PluginClass | Plugin): Registration {
    let reg: Registration;
    if (what instanceof Plugin) {
      const inst = what;
      reg = { cls: inst.constructor as PluginClass, create: () => cloneInstance(inst), proto: inst };
    } else if (typeof what === 'function' && what.prototype instanceof Plugin) {
      const Cls = what;
      reg = { cls: Cls, create: () => new Cls(), proto: new Cls() };
    } else {
      throw new Error('register: expected a Plugin subclass or instance');
    }
    const p = reg.proto;
    const provides = p.provides;
    if (!provides || provides.length === 0)
      throw new Error(`${p.className}: provides is empty; list the data types it makes`);
    if (new Set(p.dependsOn).size !== p.dependsOn.length)
      throw new Error(`${p.className}: duplicate dependencies in dependsOn (${p.dependsOn.join(', ')})`);
    if (p.multiOutput && (typeof p.dataKind !== 'object' || p.dataKind === null)) {
      throw new Error(`${p.className} provides several data types, so dataKind must map each to its kind`);
    }
    for (const d of provides)
      if (d.length <= 1)
        throw new Error(`${p.className}: data type names must be longer than one letter, not '${d}'`);
    this.checkDefaults(p);
    for (const d of provides) {
      const old = this.byType.get(d);
      this.byType.set(d, reg);
      if (old && old !== reg) {
        for (const [t, r] of this.byType) if (r === old) this.byType.delete(t);
      }
    }
    return reg;
  }

  private checkDefaults(p: Plugin): void {
    for (const opt of p.options) {
      if (!hasDefault(opt)) continue;
      for (const r of this.all()) {
        if (r.proto.provides.some((d) => p.provides.includes(d))) continue; // being replaced
        const other = r.proto.options.find((o) => o.name === opt.name);
        if (!other || !hasDefault(other)) continue;
        if (!sameDefault(defaultOf(opt, p.className), defaultOf(other, r.proto.className))) {
          throw new Error(
            `${p.className} and ${r.proto.className} have different default values for option '${opt.name}': give them the same default or rename one`,
          );
        }
      }
    }
  }

  get(dataType: string): Registration {
    const r = this.byType.get(dataType);
    if (!r) {
      const known = [...this.byType.keys()].sort();
      throw new Error(
        `no plugin registered that provides ${dataType} (registered: ${known.join(', ') || 'none'}); register one first`,
      );
    }
    return r;
  }

  has(dataType: string): boolean {
    return this.byType.has(dataType);
  }

  dataTypes(): string[] {
    return [...this.byType.keys()];
  }

  /** Each registration once, in registration order of their first data type. */
  all(): Registration[] {
    return [...new Set(this.byType.values())];
  }

  /** Option name → registrations taking it. */
  optionOwners(): Map<string, Registration[]> {
    const m = new Map<string, Registration[]>();
    for (const r of this.all())
      for (const o of r.proto.options) {
        if (!m.has(o.name)) m.set(o.name, []);
        m.get(o.name)!.push(r);
      }
    return m;
  }

  copy(): PluginRegistry {
    const c = new PluginRegistry();
    for (const [k, v] of this.byType) c.byType.set(k, v);
    return c;
  }
}

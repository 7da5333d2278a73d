import type { PluginManifest } from '@switchboard/core';
import { getMetadataStorage } from 'class-validator';

/** One input of the "new connection" form, read off the plugin's credential DTO. */
export interface CredentialField {
  name: string;
  label: string;
  /** Secret fields are typed into password inputs and never shown back. */
  secret: boolean;
  required: boolean;
  /** A regular expression the value must match (JavaScript syntax), when the DTO has one. */
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  /** The DTO's own messages, which say what the provider expects (e.g. where to find the value). */
  hints: string[];
}

/**
 * Describes a plugin's credential DTO from its class-validator metadata, so a form can be
 * generated for any plugin without the plugin shipping UI code. The server still validates.
 */
export function credentialForm(manifest: PluginManifest): CredentialField[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(manifest.credentials, '', true, false);
  const fields = new Map<string, CredentialField>();
  for (const m of metadata) {
    const field = fields.get(m.propertyName) ?? {
      name: m.propertyName,
      label: humanize(m.propertyName),
      secret: manifest.secretCredentialFields.includes(m.propertyName),
      required: true,
      hints: [],
    };
    const constraints = (m.constraints ?? []) as unknown[];
    switch (m.name ?? m.type) {
      case 'matches':
        if (constraints[0] instanceof RegExp) field.pattern = constraints[0].source;
        break;
      case 'isLength':
        field.minLength = typeof constraints[0] === 'number' ? constraints[0] : undefined;
        field.maxLength = typeof constraints[1] === 'number' ? constraints[1] : undefined;
        break;
      case 'conditionalValidation':
        field.required = false;
        break;
    }
    if (m.type === 'conditionalValidation') field.required = false;
    const message = m.validationTypeOptions?.message ?? m.message;
    if (typeof message === 'string' && !field.hints.includes(message)) field.hints.push(message);
    fields.set(m.propertyName, field);
  }
  return [...fields.values()];
}

function humanize(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/Id\b/, 'ID');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The cell CA of a cluster (lattice-cell's CA bundle, upstream `parent_servers.ca_bundle()`): it signs
 * the auth proxy's serving certificate and is the CA written into the children's rewritten
 * `<name>-kubeconfig` secrets (docs/LATTICE-2026-04.md §3.5, §7). One per cluster store.
 */
import { webcrypto } from 'node:crypto';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import type { ObjectStore } from '../../../apiserver/types.js';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

export interface CellCa {
  caPem: string;
  /** A serving certificate for these SANs (IP addresses and DNS names), signed by the cell CA. */
  serverCert(sans: string[]): Promise<{ certPem: string; keyPem: string }>;
}

const keyPair = async () => (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;

async function createCellCa(cluster: string): Promise<CellCa> {
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + 365 * 24 * 3600_000);
  const caKeys = await keyPair();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01', name: `CN=${cluster}-lattice-cell-ca`, notBefore, notAfter, keys: caKeys, signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  let serial = 2;
  return {
    caPem: ca.toString('pem'),
    async serverCert(sans) {
      const keys = await keyPair();
      const leaf = await x509.X509CertificateGenerator.create({
        serialNumber: (serial++).toString(16).padStart(2, '0'), subject: 'CN=lattice-auth-proxy', issuer: ca.subject, notBefore, notAfter,
        signingKey: caKeys.privateKey, publicKey: keys.publicKey, signingAlgorithm: ALG,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
          new x509.SubjectAlternativeNameExtension(sans.map((s) => (/^\d+\.\d+\.\d+\.\d+$/.test(s) ? { type: 'ip' as const, value: s } : { type: 'dns' as const, value: s }))),
          await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
        ],
      });
      const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as unknown as webcrypto.CryptoKey);
      return { certPem: leaf.toString('pem'), keyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
    },
  };
}

const cas = new WeakMap<ObjectStore, Promise<CellCa>>();

/** The cell CA of the cluster whose store this is (created on first use). */
export function cellCaOf(store: ObjectStore, cluster: string): Promise<CellCa> {
  let ca = cas.get(store);
  if (!ca) { ca = createCellCa(cluster); cas.set(store, ca); }
  return ca;
}

using JasperFx;
using Latchkey.OAuth2.Authorizations;
using Latchkey.OAuth2.Clients;
using Latchkey.OAuth2.Device;
using Latchkey.OAuth2.Flows;
using Latchkey.OAuth2.Hosted;
using Latchkey.OAuth2.Keys;
using Latchkey.OAuth2.Tokens;
using Latchkey.OAuth2.Trust;
using Latchkey.Storage;
using Marten;
using Marten.Schema;
using Marten.Schema.Indexing.Unique;
using Weasel.Core;

namespace Latchkey.OAuth2.Storage;

/// <summary>
/// Every document and table of the oauth2 store, in one place: what start-up applies, and all a migration
/// needs (<c>Storage.ApplyAllConfiguredChangesToDatabaseAsync()</c> on a store built with
/// <see cref="Configure"/>). Nothing is left for Marten to create lazily at first use. Every document is
/// conjoined-tenanted by project, sessions without a tenant are refused, and every index covers the tenant.
/// </summary>
public static class OAuth2Schema
{
    public const string Name = "oauth2";

    /// <summary>Hosted sign-in attempts per project (the scope is its tenant id) and email: an <see cref="AttemptCounter"/> table.</summary>
    public const string HostedLoginFailures = "hosted_login_failures";

    /// <summary>Failed client authentications while Redis is away (<see cref="ClientAuthThrottle"/>): an <see cref="AttemptCounter"/> table.</summary>
    public const string ClientAuthAttempts = "client_auth_attempts";

    /// <summary>User codes tried per project and per device request (the scope is the tenant id): an <see cref="AttemptCounter"/> table.</summary>
    public const string DeviceUserCodeAttempts = "device_user_code_attempts";

    public static void Configure(StoreOptions options)
    {
        options.DatabaseSchemaName = Name;
        // The set-based SQL of the stores names the JSON fields: keep them snake_case.
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.SnakeCase);
        options.Policies.AllDocumentsAreMultiTenanted();
        options.Advanced.DefaultTenantUsageEnabled = false;

        // The alias keeps the table name the document had as OAuth2Client.
        options.Schema.For<StoredClient>()
            .DocumentAlias("oauth2client")
            .UseOptimisticConcurrency(true)
            .Metadata(m => m.Version.MapTo(c => c.Version))
            .Index(c => c.CreatedAt, PerTenant);

        // One-time use of codes and refresh tokens rests on the version check of TokenEntry updates.
        options.Schema.For<TokenEntry>()
            .UseOptimisticConcurrency(true)
            .Metadata(m => m.Version.MapTo(t => t.Version))
            .UniqueIndex(UniqueIndexType.Computed, "mt_doc_tokenentry_uidx_signature", TenancyScope.PerTenant, t => t.Signature!)
            .Index(t => t.ApplicationId!, PerTenant)
            .Index(t => t.AuthorizationId!, PerTenant)
            .Index(t => t.Subject!, PerTenant);

        // A revocation bumps the version, so a stale authorization cannot be saved over it.
        options.Schema.For<AuthorizationEntry>()
            .UseOptimisticConcurrency(true)
            .Metadata(m => m.Version.MapTo(a => a.Version))
            .Index(a => a.ApplicationId!, PerTenant)
            .Index(a => a.Subject!, PerTenant);

        // Each step of a flow happens once: saving checks the version. Completed flows are the consent
        // sessions, looked up by subject.
        options.Schema.For<LoginConsentFlow>()
            .UseOptimisticConcurrency(true)
            .Metadata(m => m.Version.MapTo(f => f.Version))
            .Index(f => f.Subject!, PerTenant);
        options.Schema.For<LogoutFlow>()
            .UseOptimisticConcurrency(true)
            .Metadata(m => m.Version.MapTo(f => f.Version));
        options.Schema.For<LoginSession>().Index(s => s.Subject, PerTenant);

        // The kid is the id: unique within the project, across both key sets.
        options.Schema.For<StoredKey>();

        // Emails are stored normalized (HostedUsers.Normalize), so a plain unique index is case-insensitive.
        options.Schema.For<HostedUser>()
            .UniqueIndex(UniqueIndexType.Computed, "mt_doc_hosteduser_uidx_email", TenancyScope.PerTenant, u => u.Email);
        options.Storage.ExtendedSchemaObjects.Add(AttemptCounter.TableOf(Name, HostedLoginFailures));
        options.Storage.ExtendedSchemaObjects.Add(AttemptCounter.TableOf(Name, ClientAuthAttempts));


        // Each step of a device verification happens once; expires_at is what pruning goes by.
        options.Schema.For<DeviceRequest>()
            .UseOptimisticConcurrency(true)
            .Metadata(m => m.Version.MapTo(d => d.Version))
            .Index(d => d.ExpiresAt, PerTenant);
        options.Storage.ExtendedSchemaObjects.Add(AttemptCounter.TableOf(Name, DeviceUserCodeAttempts));

        // jwt-bearer trust relationships: one per (issuer, subject, kid); assertions look them up by issuer.
        options.Schema.For<TrustedIssuer>()
            .UniqueIndex(UniqueIndexType.Computed, "mt_doc_trustedissuer_uidx_issuer_subject_kid", TenancyScope.PerTenant,
                t => t.Issuer, t => t.Subject, t => t.KeyId)
            .Index(t => t.CreatedAt, PerTenant);
        // Each JWT assertion's jti, until the assertion expires (jwt-bearer grant and private_key_jwt alike).
        options.Storage.ExtendedSchemaObjects.Add(AssertionJtis.TableOf(Name));
    }

    /// <summary>The qualified table of a document, as Marten maps it: what set-based SQL writes against.</summary>
    public static string TableOf<T>(IDocumentStore store) =>
        store.Options.FindOrResolveDocumentType(typeof(T)).TableName.QualifiedName;

    static void PerTenant(ComputedIndex index) => index.TenancyScope = TenancyScope.PerTenant;
}

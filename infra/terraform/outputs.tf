output "db_address" {
  description = "PostgreSQL host name."
  value       = aws_db_instance.this.address
}

output "db_port" {
  description = "PostgreSQL port."
  value       = aws_db_instance.this.port
}

output "redis_primary_endpoint" {
  description = "Redis primary endpoint (host name)."
  value       = aws_elasticache_replication_group.this.primary_endpoint_address
}

output "redis_reader_endpoint" {
  description = "Redis reader endpoint (host name)."
  value       = aws_elasticache_replication_group.this.reader_endpoint_address
}

output "db_security_group_id" {
  description = "Security group of PostgreSQL, for extra ingress rules."
  value       = aws_security_group.db.id
}

output "redis_security_group_id" {
  description = "Security group of Redis, for extra ingress rules."
  value       = aws_security_group.redis.id
}

output "system_secret_arn" {
  description = "Secrets Manager secret holding LATCHKEY_SECRETS_SYSTEM."
  value       = aws_secretsmanager_secret.system.arn
}

output "runtime_secret_arn" {
  description = "Secrets Manager secret holding database-url and redis-url (JSON)."
  value       = aws_secretsmanager_secret.runtime.arn
}

output "database_url" {
  description = "LATCHKEY_DATABASE_URL (Npgsql connection string)."
  value       = local.database_url
  sensitive   = true
}

output "redis_url" {
  description = "LATCHKEY_REDIS_URL (StackExchange.Redis configuration string)."
  value       = local.redis_url
  sensitive   = true
}

output "migration_database_url" {
  description = "Connection string of the migration role (secret key migration-database-url)."
  value       = local.migration_database_url
  sensitive   = true
}

output "db_client_connections" {
  description = "Replicas x pool size: the most connections the pods can open (see proxy.tf)."
  value       = local.db_client_connections
}

output "db_proxy_endpoint" {
  description = "RDS Proxy endpoint the pods connect to (null without the proxy)."
  value       = var.db_proxy_enabled ? aws_db_proxy.this[0].endpoint : null
}

output "database_roles_sql" {
  description = "Run once as the master user (psql \"$(terraform output -raw ...)\"): the migration and app roles."
  sensitive   = true
  value       = <<-SQL
    create role ${local.db_migrator_role} login password '${random_password.db_migrator.result}';
    create role ${local.db_app_role} login password '${random_password.db_app.result}';
    grant ${local.db_migrator_role} to ${local.db_username};
    grant connect, temporary on database ${local.db_name} to ${local.db_migrator_role}, ${local.db_app_role};
    grant create on database ${local.db_name} to ${local.db_migrator_role};
    -- the schemas `migrate` fills, owned by the migration role; the app role only reads and writes rows
    create schema if not exists latchkey authorization ${local.db_migrator_role};
    create schema if not exists oauth2 authorization ${local.db_migrator_role};
    grant usage on schema latchkey, oauth2 to ${local.db_app_role};
    alter default privileges for role ${local.db_migrator_role} in schema latchkey, oauth2
      grant select, insert, update, delete on tables to ${local.db_app_role};
    alter default privileges for role ${local.db_migrator_role} in schema latchkey, oauth2
      grant usage, select on sequences to ${local.db_app_role};
    alter default privileges for role ${local.db_migrator_role} in schema latchkey, oauth2
      grant execute on functions to ${local.db_app_role};
  SQL
}

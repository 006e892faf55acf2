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

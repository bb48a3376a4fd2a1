// Not a test case: what the generator writes for `petstore.yaml`, cut down to what `#[handlers]`
// relies on (types at the root, one trait per operation in `server`), so the UI cases do not
// depend on a generated crate.
#[allow(dead_code)]
mod api {
    pub struct ListPetsRequest;
    pub enum ListPetsResponse {
        Ok,
    }
    pub struct CreatePetRequest;
    pub enum CreatePetResponse {
        Created,
    }
    pub struct DeletePetRequest {
        pub pet_id: String,
    }
    pub enum DeletePetResponse {
        NoContent,
    }

    pub mod server {
        pub trait ListPets: Send + Sync + 'static {
            const IMPLEMENTED: bool = true;
            fn list_pets(
                &self,
                request: super::ListPetsRequest,
                parts: ::oas_runtime::server::RequestParts,
            ) -> impl ::std::future::Future<Output = super::ListPetsResponse> + Send;
        }
        pub trait CreatePet: Send + Sync + 'static {
            const IMPLEMENTED: bool = true;
            fn create_pet(
                &self,
                request: super::CreatePetRequest,
                parts: ::oas_runtime::server::RequestParts,
            ) -> impl ::std::future::Future<Output = super::CreatePetResponse> + Send;
        }
        pub trait DeletePet: Send + Sync + 'static {
            const IMPLEMENTED: bool = true;
            fn delete_pet(
                &self,
                request: super::DeletePetRequest,
                parts: ::oas_runtime::server::RequestParts,
            ) -> impl ::std::future::Future<Output = super::DeletePetResponse> + Send;
        }
    }
}
